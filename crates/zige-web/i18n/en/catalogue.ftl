# The catalogue's pages: home and search, browsing, an entry, the eligibility
# check and the open-data page.
home-title = Find your qualification
home-intro = Search Beijing's catalogue of { $count } recognised overseas professional qualifications in Chinese or English: names, abbreviations, issuers, countries, fields.
search-label = Qualification, abbreviation, issuer or country
search-placeholder = e.g. PMP, CFA, 精算师, teacher California
search-button = Search
search-results = { $count ->
    [one] One qualification matches
   *[other] { $count } qualifications match
}
search-none = No qualification matches.
search-suggest = Did you mean
search-empty = Type a qualification's name, abbreviation, issuer, country or field.
lists-title = The catalogue at a glance
list-urgent-intro = Urgently needed: correspond to associate senior titles.
list-general-intro = Overseas professional qualifications, by field.
browse-all = Browse all { $count } entries
browse-title = Browse the catalogue
browse-filters = Filters
browse-clear = Clear all filters
browse-showing = { $count ->
    [one] One entry
   *[other] { $count } entries
}
facet-list = List
facet-field = Field
facet-region = Country or region
facet-title = Title correspondence
facet-experience = Experience required
col-code = No.
col-name = Qualification
col-issuer = Issuer
col-region = Country or region
col-title = Title
international = International body
title-none = —
entry-names = Names
entry-aliases = Also known as
entry-traditional = Traditional Chinese
entry-issuers = Issued by
entry-region = Country or region
entry-fields = Fields
entry-scope = Scope of work
entry-title = Professional title
entry-title-none = This qualification has no title correspondence.
entry-title-conditions = subject to the education and years conditions of the title series
entry-experience = Experience required
entry-experience-none = The catalogue asks for no minimum experience.
entry-levels = Levels
entry-levels-minimum = Recognised from { $level } upwards.
entry-levels-variants = Recognised variants:
entry-levels-not = Not recognised:
entry-obligations = Obligations
entry-exemptions = Exam exemptions
entry-waivers = Special provisions
entry-benefits = What it can bring you
entry-benefits-intro = Holders recognised under this entry and employed in Beijing can receive these services. Check your own case for a decision with reasons.
entry-remark = Remark (official text)
entry-remark-en = Remark (English)
entry-links = Links
entry-permalink = Permanent link
entry-json = This entry as JSON
entry-check = Check my eligibility for this qualification
check-title = Check your eligibility
check-intro = Tell us about your qualification and situation. Zige applies the catalogue's remarks and Beijing's policy and explains each step. Fields left empty stay undecided.
check-entry = Qualification (code, e.g. G14, or id)
check-level = Level or variant held
check-level-help = Only for qualifications with levels, e.g. B, CEng, grade-8.
check-experience = Relevant work experience (years)
check-age = Age
check-nationality = Nationality
nat-foreign = Foreign national
nat-chinese = Chinese national
nat-hmt = Hong Kong, Macao or Taiwan resident
check-education = Highest education
edu-doctorate = Doctorate
edu-master = Master's degree
edu-bachelor = Bachelor's degree
edu-associate = Associate degree (大专)
edu-none = None of these
check-employer = Employed by an employer in Beijing
check-high-end = Working in one of Beijing's high-end (高精尖) industries
check-project = Universal Studios Beijing project
check-submit = Check
check-share = Link to this result
data-title = Open data and API
data-intro = The catalogue is open data. Download it, or use the JSON API (CORS open for GET).
data-downloads = Downloads
data-csv = CSV (UTF-8, opens in Excel)
data-xlsx = Excel workbook (Chinese and English)
data-json = JSON
data-jsonld = JSON-LD (schema.org)
data-api = API reference
data-openapi = OpenAPI 3.1 document
search-more = Showing the first { $shown } of { $count }.
data-method = Method
data-path = Path
data-description = Description
# Finding qualifications in a pasted text: /search/text, and its box on the
# home and check pages.
text-title = Find your qualifications in a CV
text-intro = Paste the text of your CV, a profile or a certificate. Zige lists each qualification of Beijing's catalogue that it names and whether you hold it, and opens the eligibility check with what it found filled in.
text-box-label = Paste your CV or certificate text
text-box-hint = Zige finds every recognised qualification the text names. Up to { $max } characters, in Chinese or English. Zige does not keep what you paste.
text-box-button = Find my qualifications
text-check-page-link = Not sure which qualification you have? Paste your CV or certificate text
text-again-label = Your text
text-again-button = Search this text again
text-results-title = Qualifications in your text
text-found = { $count ->
    [one] Your text names one qualification of the catalogue.
   *[other] Your text names { $count } qualifications of the catalogue.
}
text-none = Your text names no qualification of the catalogue.
text-none-try = You could:
text-try-section = paste the part of your CV that lists your certificates, qualifications and licences
text-try-names = write each qualification's full name or abbreviation as the certificate does, for example “Chartered Financial Analyst (CFA)” or “PMP”
text-try-search = search the catalogue by a qualification's name, issuer or country
text-in-text = In your text
text-holds = You hold it
text-not-held = Mentioned, not held
text-not-held-help = Your text names it but does not say you hold it, for example because you are studying for it. Only a qualification you hold can be recognised.
text-prefill = The check opens with
text-prefill-level = level { $level }
text-years = { $count ->
    [one] one year of experience
   *[other] { $count } years of experience
}
text-check = Check what it brings you
text-err-empty = Enter the text of your CV or certificate
text-err-too-long = Your text must be { $max } characters or fewer; it has { $count }
