# The API's error envelope: messages of the router, the response hardening,
# the catalogue's endpoints and the operations endpoints.
api-no-endpoint = no API endpoint at { $path }
api-method-not-allowed = { $method } is not allowed on { $path }
api-uri-too-long = the query string has { $length } bytes: at most { $max } are read
api-body-too-large = the request body is larger than this endpoint accepts
api-not-processed = { $reason }
api-profile-not-json = the profile must be sent as application/json
api-profile-too-large = the profile is larger than 64 KB
api-export-failed = { $reason }
api-not-writable = the database answers but takes no writes (full disk?): { $reason }
api-not-ready = the database does not answer: { $reason }
api-text-empty = the text is empty: send the words of a CV, a profile or a certificate
api-text-too-long = the text has { $length } characters: at most { $max } are read
api-text-body-too-large = the body is larger than { $bytes } bytes: the text may have at most { $max } characters
api-text-not-utf8 = the text is not UTF-8 (byte { $at } is not): send it as UTF-8
api-text-media-type = send the text as text/plain in UTF-8, or as application/json with the member text
api-text-busy = too many texts are being read at once: try again in { $seconds } second(s)
