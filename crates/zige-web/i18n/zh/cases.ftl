# 认定申请：开始审核（issue 11）。
rev-start-title = 开始审核
rev-start = 开始审核
rev-start-help = 查看申请不会改变其状态。开始审核后，申请标记为“审核中”，其他审核人员即知已有人处理；直接作出决定也会开始审核。
rev-started = 您已开始审核此申请。
