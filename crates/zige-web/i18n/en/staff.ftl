# Staff pages and the decision document: the issuing authority, local
# times, confirmations, rule names and the audit log.

## The decision and its verification
staff-edition-name = Catalogue { $version } of { $published }
staff-policy = Services policy
staff-legal-basis = Legal basis
staff-appeal = How to challenge this decision
staff-print = Print the decision
staff-print-help = The printed decision leaves out the site's navigation. Without the button, use your browser's Print command (Ctrl+P or ⌘P).
staff-verify-where = Anyone can check this decision with its verification code on the verification service of { $authority } (the page “Verify a decision”).
staff-issued-by = Issued by
staff-ver-valid = This decision was issued by { $authority } and has not been revoked.
staff-ver-revoked = This decision was issued by { $authority } but revoked on { $date }.
staff-technical = Technical details
staff-keys-at = The signing keys are published at

## The review case page
staff-case-summary = Summary
staff-case-details = Application in detail
staff-files = { $count ->
    [one] 1 file
   *[other] { $count } files
}
staff-see-below = see below

## Confirming a decision
staff-confirm-case = application #{ $id } of { $holder }
staff-confirm-approve = Approve this application?
staff-confirm-approve-text = You are about to approve { $case }.
staff-confirm-approve-button = Confirm: approve and sign
staff-confirm-signed = The decision will be signed and issued. It cannot be edited afterwards; only an administrator can revoke it.
staff-confirm-reject = Reject this application?
staff-confirm-reject-text = You are about to reject { $case }, with the reasons below.
staff-confirm-reject-button = Confirm: reject
staff-confirm-final = The applicant is told at once. A rejection cannot be edited or undone.
staff-confirm-more = Ask for more information?
staff-confirm-more-text = You are about to ask for more information on { $case }, with the request below.
staff-confirm-more-button = Confirm: send the request
staff-confirm-sent = The applicant is told at once and the case leaves the queue until they resubmit.
staff-go-back = Go back and change

## Confirming a revocation
staff-revoke-title = Revoke this decision?
staff-revoke-text = You are about to revoke decision { $number } of { $holder }.
staff-revoke-final = Anyone verifying the decision will see it revoked, with the reason below. A revocation cannot be undone.
staff-revoke-button = Confirm: revoke the decision

## Rule names in the pre-check
staff-rule-recognition = Recognition
staff-rule-level = Level of the qualification
staff-rule-project = Project waiver
staff-rule-experience = Work experience
staff-rule-title = Professional title correspondence
staff-rule-title-conditions = Basic conditions for the title
staff-rule-policy-scope = Policy applies to this catalogue
staff-rule-obligation = Obligation after recognition

## The audit log
staff-audit-intro = Every change and every case opened, newest first. Filter by who acted, what they did and when.
staff-audit-actor = Who (e-mail)
staff-audit-action = Action
staff-audit-any = Any action
staff-audit-from = From (day)
staff-audit-to = To (day, included)
staff-audit-date-help = Days as YYYY-MM-DD, in the service's time zone.
staff-audit-filter = Show records
staff-audit-clear = Clear filters
staff-audit-shown = Showing { $from }–{ $to } of { $total }
staff-audit-none = No records match these filters.
staff-err-actor = No account has the e-mail “{ $value }”.
staff-err-action = Choose an action from the list.
staff-err-date = “{ $value }” is not a date: enter it as YYYY-MM-DD.
staff-err-range = The last day must not be before the first.
staff-subj-application = Application #{ $id }
staff-subj-user = Account #{ $id }
staff-subj-decision = Decision { $id }
staff-subj-key = Signing key { $id }
staff-subj-file = An evidence file
staff-subj-edition = Edition { $id }
staff-act-session-create = Signed in
staff-act-user-create = Created an account
staff-act-user-update = Changed an account
staff-act-factor-enrol = Set up a second factor
staff-act-factor-recovery = Used a recovery code
staff-act-factor-remove = Removed their second factor
staff-act-factor-reset = Reset a second factor
staff-act-app-create = Started an application
staff-act-app-edit = Saved an application
staff-act-app-delete = Deleted a draft
staff-act-evidence-add = Uploaded evidence
staff-act-app-submit = Submitted an application
staff-act-app-withdraw = Withdrew an application
staff-act-case-view = Opened a case
staff-act-case-assign = Assigned a case
staff-act-case-note = Added an internal note
staff-act-template-add = Added a reason template
staff-act-template-change = Changed a reason template
staff-act-template-delete = Deleted a reason template
staff-act-app-open = Started a review
staff-act-app-more = Asked for more information
staff-act-app-approve = Approved an application
staff-act-app-reject = Rejected an application
staff-act-decision-issue = Issued a decision
staff-act-decision-revoke = Revoked a decision
staff-act-key-create = Created the signing key
staff-act-key-rotate = Rotated the signing key (the previous one stays published)
staff-act-evidence-sweep = Removed unused files
staff-act-edition-import = Imported an edition
staff-act-edition-overlay = Changed an edition's overlay
staff-act-edition-publish = Published an edition
staff-act-edition-discard = Discarded a draft edition

audit-detail-role = role: { $role }
audit-detail-disabled = account disabled
audit-detail-enabled = account active
audit-detail-had-factor = a second factor was set up
audit-detail-had-no-factor = no second factor was set up
audit-detail-recovery-codes = { $count } recovery codes issued
audit-detail-codes-left = { $count } recovery codes left
audit-detail-joiner = {"; "}
audit-detail-state = state: { $from } → { $to }
audit-detail-second-factor = with two-step verification
audit-detail-file = file SHA-256 { $sha }…

## Reason templates (admins keep them; reviewers pick them on the decision form)
rt-title = Reason templates
rt-intro = Ready-written reasons for each outcome. Reviewers pick one on the decision form; its text is added to the reasons in Chinese and then in English, and they complete it for the case.
rt-add-title = Add a template
rt-change-title = Change a template
rt-add = Add template
rt-save = Save template
rt-none = No templates for this outcome yet.
rt-in-zh = Chinese
rt-in-en = English
rt-actions = Actions
rt-change = Change
rt-delete = Delete
rt-back = Back to reason templates
rt-outcome = For which outcome
rt-title-zh = Title in Chinese
rt-title-en = Title in English
rt-text-zh = Text in Chinese
rt-text-en = Text in English
rt-text-help = As the applicant will read it. At most 1,999 characters.
rt-conflict = Another admin changed this template while you were editing it. What you typed is kept below: saving it now replaces their change.
rt-gone = Another admin deleted this template while you were editing it. What you typed is kept below: adding it now keeps it as a new template.
rt-delete-title = Delete this reason template?
rt-delete-text = “{ $title }” will no longer be offered on the decision form. Decisions that used it keep their reasons.
rt-outcome-approved = To approve
rt-outcome-rejected = To reject
rt-outcome-more_information = To ask for more information
