# The applicant's journey: start page, form, evidence, check your answers.

apply-title = Apply to have an overseas qualification recognised
apply-lead = Use this service to ask for an overseas professional qualification listed in Beijing's catalogue to be recognised. A reviewer checks your application and you receive a signed decision that anyone can verify.
apply-who-title = Who can use this service
apply-who = You can apply if you hold an overseas professional qualification that is listed in the catalogue. Not sure? Find it in the catalogue or check what it would bring you first.
apply-who-browse = Browse the catalogue
apply-who-check = Check a qualification
apply-chosen = You are applying with: { $entry }
apply-need-title = What you need
apply-need-intro = Have these ready before you start:
apply-need-cert = the certificate: its number, who issued it, the date of issue and, if it has one, the expiry date
apply-need-profile = your age, nationality, highest education and years of relevant work experience, and whether you work for an employer in Beijing
apply-need-files = a scan or photo of the certificate: PDF, JPEG or PNG, at most { $size } MB a file, up to { $files } files per application and { $total } MB in all
apply-time-title = How long it takes
apply-time = About 10 minutes. You can save your answers and come back at any time. After you submit, a reviewer looks at your application; you see each step on your application page.
apply-privacy = How we use what you tell us:
apply-privacy-link = Read the privacy notice
apply-start = Start now
apply-signed-out = You need an account to apply, so that you can save your answers and follow your application.
apply-sign-in = Sign in
apply-register = Create an account
apply-staff = Reviewer and administrator accounts do not make applications.

apply-unknown-entry = “{ $value }” is not a qualification in the catalogue. Choose one from the list (type its name or code), so that your application can be checked.
apply-entry-help = Type a name, an issuer or a code such as G7 and choose from the list.
apply-entry-none = No qualification matches.
apply-entry-count = { $count ->
    [one] One qualification matches; use the up and down keys to choose.
   *[other] { $count } qualifications match; use the up and down keys to choose.
}
apply-date-hint = For example, 27 3 2020
apply-date-day = day
apply-date-month = month
apply-date-year = year
apply-date-day-label = Day
apply-date-month-label = Month
apply-date-year-label = Year
apply-date-and = { " " }and{ " " }
apply-date-missing = { $field } must include a { $parts }.
apply-date-bad-day = { $field }: the day must be a number from 1 to 31.
apply-date-bad-month = { $field }: the month must be a number from 1 to 12.
apply-date-bad-year = { $field }: the year must be 4 digits, such as 2020.
apply-date-real = { $field } must be a real date.

apply-files-limit = PDF, JPEG or PNG, at most 10 MB a file.
apply-upload = Upload file
apply-remove = Remove
apply-remove-label = Remove { $name }
apply-removed = The file was removed.
apply-save-hint = Every button on this page saves what you have typed first.
apply-continue = Save and continue
apply-step-submit = 3. Check and submit
apply-continue-help = Next you check your answers before you submit. A reviewer then looks at your application; you cannot change it while it is being reviewed.

apply-request-title = The reviewer needs more information
apply-request-text = Change what is asked below, add files if needed, then check your answers and submit again.
apply-request-when = Asked on { $at }

cya-title = Check your answers before submitting
cya-lead = Application #{ $id }. Check that everything is right; use “Change” to correct an answer.
cya-details = Your details
cya-files = Your files
cya-change = Change
cya-incomplete = Before you can submit, complete these answers:
cya-declaration-title = Declaration
cya-declaration = I declare that the information I have given is true and complete to the best of my knowledge, and that the files I uploaded are copies of my own documents.
cya-declaration-missing = Tick the box to confirm the declaration before you submit.
cya-submit = Accept and submit
cya-back = Back to the application
