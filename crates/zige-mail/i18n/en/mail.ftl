service = Zige: recognised overseas professional qualifications, Beijing
greeting = Hello,
footer = This message was sent by { service }. Please do not reply to it: the address is not read.
link-intro = Open this link:

verify_address-subject = Confirm your e-mail address
verify_address-body = Please confirm that { $email } is your e-mail address, so that we can write to you about your applications. You can start an application before you confirm, but you need to confirm before you submit it.
verify_address-after = The link works once, for 7 days. If you did not register with Zige, ignore this message: nothing happens without the link.

account_exists-subject = You already have an account
account_exists-body = Somebody, perhaps you, tried to register with this e-mail address. It already has an account, so nothing was changed. Sign in instead; if you have forgotten your password, you can set a new one from the sign-in page.
account_exists-after = If it was not you, you do not need to do anything.

password_reset-subject = Set a new password
password_reset-body = Somebody, perhaps you, asked to set a new password for the account with this e-mail address.
password_reset-after = The link works once, for one hour. If you did not ask, ignore this message: your password stays as it is.

password_changed-subject = Your password was changed
password_changed-body = The password of your account was changed, and every session that was signed in has been signed out.
password_changed-after = If you did not change it, set a new password now with "Forgotten your password?" on the sign-in page.

submitted-subject = We have received your application { $application }
submitted-body = { $resubmitted ->
    [yes] We have received your updated application { $application }. A reviewer will look at it again.
   *[no] We have received your application { $application }. A reviewer will look at it; we will write to you when there is news.
  } It will be decided under the catalogue edition { $catalog }.
submitted-after = Keep this message: the application number is your reference.

more_info-subject = Application { $application }: more information needed
more_info-body = A reviewer needs more information about your application { $application }. What the reviewer asks for:
more_info-after = Please answer by { $lapses }: add what is asked for and submit the application again.

more_info_reminder-subject = Reminder: application { $application } still needs more information
more_info_reminder-body = Your application { $application } is still waiting for the information a reviewer asked for on { $requested }.
more_info_reminder-after = Please answer by { $lapses }.

decided-subject = { $outcome ->
    [approved] Application { $application }: approved
   *[rejected] Application { $application }: not approved
  }
decided-body = { $outcome ->
    [approved] Your application { $application } has been approved. Decision number: { $number }. Anyone you show it to can check it online.
   *[rejected] Your application { $application } has not been approved. The reason:
  }
decided-after = { $outcome ->
    [approved] The link opens the public check of your decision.
   *[rejected] You can see the decision and how to appeal in your application.
  }

revoked-subject = Decision { $number } has been revoked
revoked-body = The decision { $number } on your application { $application } has been revoked. The reason:
revoked-after = The public check of the decision now shows that it is revoked.

digest-subject = Review queue: { $open } open, { $new_cases } new
digest-body = In the review queue: { $open } open cases, { $new_cases } new in the last day, { $waiting } waiting longer than { $days } days.
digest-after = You get this digest because you review applications. You can turn it off on your account page.

edition_published-subject = Catalogue edition { $edition } published
edition_published-body = The catalogue edition { $edition } has been published. It is in force from { $effective }.
edition_published-after = Applications submitted from then on are decided under it.
