# Catalogue editions: the admin API's errors and the Atom feed.
edition-text-at = line { $line }, column { $column }: { $text }
edition-exists = edition { $id } exists already: discard the draft first or choose another version
edition-only-drafts-change = only drafts change: a published edition is corrected by a new edition
edition-only-drafts-publish = only drafts can be published
edition-only-drafts-discard = only drafts can be discarded
edition-fix-before-publishing = { $at }: { $message } — fix the overlay before publishing
edition-text-too-large = the text is larger than { $megabytes } MB
feed-title = Zige: catalogue editions and their changes
feed-replaces = { $id } replaces { $previous } from { $date }: { $added } added ({ $added_names }), { $removed } removed ({ $removed_names }), { $changed } changed, { $renumbered } renumbered.
feed-first = { $id }: { $entries } entries, in force from { $date }.

# The changes page.
changes-title = Changes between editions
changes-intro = Beijing republishes its catalogue about once a year. Zige compares the official texts entry by entry.
changes-one = Zige holds one edition so far: { $id }, published { $published }. Differences appear here when a new edition is published.
changes-from = From
changes-to = To
changes-compare = Compare
changes-added = Added
changes-removed = Removed
changes-changed = Changed
changes-none = No differences.

# Catalogue editions (administration)
ed-title = Catalogue editions
ed-intro = Every edition of the catalogue: the built-in one, drafts being prepared, published editions with the date they take effect, and discarded drafts. Only the edition in force answers the public.
ed-edition = Edition
ed-status = Status
ed-entries = Entries
ed-effective = In force from
ed-today = Today
ed-built-in = Built in
ed-published = Published
ed-discarded = Discarded
ed-draft = Draft
ed-in-force = In force
ed-from = From { $date }
ed-replaced = Replaced
ed-import-title = Import a new official text
ed-import-intro = Upload the official text exactly as published. It is checked line by line; a text that cannot be read is not stored, and every problem is listed with its line and column. A readable text becomes a draft, with ids and English carried over from the edition in force.
ed-jurisdiction = Jurisdiction
ed-jurisdiction-help = Lower-case letters, e.g. beijing.
ed-version = Version
ed-version-help = The version printed in the title, e.g. 3.1.
ed-published-on = Publication date of the text
ed-published-help = The date the government published it (not the date it takes effect).
ed-file = Official text (plain text, at most { $mb } MB)
ed-file-help = The catalogue as a .txt file in UTF-8: title, total, sections and rows of six columns.
ed-import-button = Import as a draft
ed-one-title = Edition { $id }
ed-readonly = A published edition never changes: a correction is a new edition.
ed-browse = Browse this edition
ed-validation = Validation
ed-valid = No problems: this draft can be published.
ed-problems = { $count ->
    [one] One problem: publishing is refused until the overlay resolves it.
   *[other] { $count } problems: publishing is refused until the overlay resolves them.
}
ed-diff-title = Changes against { $id }, the edition in force
ed-overlay-title = Overlay
ed-overlay-intro = The overlay adds what the official text lacks: stable ids, English names, aliases, issuers, level scales. Complete it for new entries (a section [entries.CODE] each), then save with a note.
ed-overlay-label = Overlay (TOML)
ed-overlay-show = Show the overlay
ed-note = What you changed (kept in the history)
ed-overlay-save = Save overlay
ed-history = History of the overlay
ed-history-none = No change recorded.
ed-publish-title = Publish
ed-publish-intro = Publishing is final. From its effective date the pages, the API and new applications answer from this edition; until that date { $current }, the edition in force, keeps answering.
ed-publish-blocked = Resolve the problems listed under Validation first.
ed-effective-label = Effective date (first day in force)
ed-effective-help = As YYYY-MM-DD; it may lie in the future, e.g. { $date }.
ed-publish-button = Publish this edition
ed-discard-heading = Discard
ed-discard-title = Discard draft { $id }?
ed-discard-text = A discarded draft is kept out of every answer; the same version can be imported again later.
ed-discard-link = Discard this draft…
ed-discard-button = Discard draft
# Differences between editions
diff-summary = { $added } added, { $removed } removed, { $changed } changed, { $renumbered } renumbered, { $unchanged } unchanged.
diff-renumbered = { $count ->
    [one] One entry kept its content but changed its number.
   *[other] { $count } entries kept their content but changed their number.
}
diff-field = Field
diff-before = Before
diff-after = After
diff-matched = Matched by
diff-renamed = renamed
diff-by-id = the same stable id (carried over when the text was imported)
diff-by-name-issuer = the same name and issuer
diff-by-issuer = the same issuer and the most similar name
diff-by-name = the same name (the issuer changed)
diff-by-other = another rule
diff-f-list = List
diff-f-name-zh = Name (Chinese)
diff-f-name-en = Name (English)
diff-f-issuer = Issuer
diff-f-regions = Country or region
diff-f-fields = Fields
diff-f-title = Title correspondence
diff-f-experience = Years of experience
diff-f-obligations = Obligations
diff-f-levels = Levels
diff-f-remark = Remark
# Editions on the catalogue's pages
edition-shown-in-force = You are looking at edition { $id }, the one in force (since { $date }).
edition-shown-upcoming = You are looking at edition { $id }, which takes effect on { $date }; until then { $current } is in force.
edition-shown-past = You are looking at edition { $id }, in force from { $date } and since replaced by { $current }.
edition-shown-back = Show the edition in force
hist-title = History across editions
hist-what = What changed
hist-listed = Listed
hist-added = Added in this edition
hist-unchanged = Unchanged
hist-renumbered = Renumbered, otherwise unchanged
hist-changed = Changed: { $fields }
hist-removed = Removed in this edition
changes-feed = Follow new editions and their changes (Atom feed)
changes-feed-title = Zige: catalogue editions and their changes
changes-editions = Editions
changes-col-title = Title
changes-heading = From { $from } to { $to }
data-editions = Every published edition
data-editions-intro = Each edition in every format, including editions that take effect later and editions since replaced. The links above give the edition in force.
data-formats = Downloads
