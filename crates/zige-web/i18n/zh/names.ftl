# 可区分条目的名称、搜索结果中的相关资格与分页、浏览页的筛选控件。
names-search-status = { $found }，另有 { $related } 项相关资格
names-related-title = 相关资格
names-related-intro = 与最佳结果属于同一领域，且与您的搜索部分匹配。
names-pager-label = 结果分页
names-pager-previous = 上一页
names-pager-next = 下一页
names-pager-showing = 第 { $from }–{ $to } 项，共 { $total } 项
names-filter = 筛选
names-filter-active = （已选 { $count } 项）
names-official = 官方名称
names-official-note = （目录公布的原文）
names-diff-f-display-zh = 中文显示名称
