# Recognition cases: starting a review (issue 11).
rev-start-title = Start the review
rev-start = Start review
rev-start-help = Opening a case changes nothing. Starting the review marks it "Under review" so other reviewers know it is taken; recording a decision starts it too.
rev-started = You have started the review of this case.
