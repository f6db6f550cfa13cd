# Names that identify entries, search results with related entries and paging, the browse filter control.
names-search-status = { $found }, { $related } related
names-related-title = Related qualifications
names-related-intro = In the same field as the best match, matching part of your search.
names-pager-label = Results pages
names-pager-previous = Previous page
names-pager-next = Next page
names-pager-showing = Showing { $from }–{ $to } of { $total }
names-filter = Filter
names-filter-active = { $count ->
    [one] (1 active)
   *[other] ({ $count } active)
}
names-official = Official name (Chinese)
names-official-note = (as published in the catalogue)
names-diff-f-display-zh = Chinese display name
