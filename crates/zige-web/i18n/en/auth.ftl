# Signing in and registering: throttling and the forms' protection.
auth-wait = To protect accounts, sign-ins with these details are paused. Try again in { $seconds } seconds; each further failure doubles the wait (at most 15 minutes).
