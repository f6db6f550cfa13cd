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
