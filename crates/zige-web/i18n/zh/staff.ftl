# 工作人员页面与决定书：发文机关、本地时间、确认步骤、规则名称和审计日志。

## 决定书与核验
staff-edition-name = 目录{ $version }版（{ $published }）
staff-policy = 服务措施
staff-legal-basis = 依据
staff-appeal = 救济途径
staff-print = 打印决定书
staff-print-help = 打印时不含网站导航。如无此按钮，请使用浏览器的“打印”命令（Ctrl+P 或 ⌘P）。
staff-verify-where = 任何人均可凭核验码在{ $authority }的核验服务（“核验决定”页面）核验本决定。
staff-issued-by = 发文机关
staff-ver-valid = 本决定由{ $authority }作出，未被撤销。
staff-ver-revoked = 本决定由{ $authority }作出，已于 { $date } 撤销。
staff-technical = 技术信息
staff-keys-at = 签名公钥公布于

## 审核案件页
staff-case-summary = 概要
staff-case-details = 申请详情
staff-files = { $count } 个文件
staff-see-below = 见下文

## 确认决定
staff-confirm-case = 第 { $id } 号申请（{ $holder }）
staff-confirm-approve = 确认批准此申请？
staff-confirm-approve-text = 您即将批准{ $case }。
staff-confirm-approve-button = 确认批准并签发
staff-confirm-signed = 决定将被签名并签发，签发后不能修改，只能由管理员撤销。
staff-confirm-reject = 确认不予认可此申请？
staff-confirm-reject-text = 您即将对{ $case }作出不予认可的决定，理由如下。
staff-confirm-reject-button = 确认不予认可
staff-confirm-final = 申请人将立即收到通知。此决定不能修改或撤回。
staff-confirm-more = 确认要求补充材料？
staff-confirm-more-text = 您即将要求{ $case }补充材料，要求如下。
staff-confirm-more-button = 确认发送要求
staff-confirm-sent = 申请人将立即收到通知，案件在其重新提交前离开待审队列。
staff-go-back = 返回修改

## 确认撤销
staff-revoke-title = 确认撤销此决定？
staff-revoke-text = 您即将撤销 { $holder } 的第 { $number } 号决定。
staff-revoke-final = 任何人核验此决定时都将看到其已被撤销及以下理由。撤销不能恢复。
staff-revoke-button = 确认撤销决定

## 预审中的规则名称
staff-rule-recognition = 认可结论
staff-rule-level = 证书等级
staff-rule-project = 项目豁免
staff-rule-experience = 工作经历
staff-rule-title = 职称对应
staff-rule-title-conditions = 职称基本条件
staff-rule-policy-scope = 服务措施适用的目录
staff-rule-obligation = 认可后的义务

## 审计日志
staff-audit-intro = 所有变更和每一次打开案件，按时间由新到旧排列。可按操作人、操作和日期筛选。
staff-audit-actor = 操作人（电子邮箱）
staff-audit-action = 操作
staff-audit-any = 全部操作
staff-audit-from = 起始日期
staff-audit-to = 截止日期（含当日）
staff-audit-date-help = 日期格式为 YYYY-MM-DD，按本服务的时区计算。
staff-audit-filter = 显示记录
staff-audit-clear = 清除筛选
staff-audit-shown = 第 { $from }–{ $to } 条，共 { $total } 条
staff-audit-none = 没有符合筛选条件的记录。
staff-err-actor = 没有电子邮箱为“{ $value }”的账户。
staff-err-action = 请从列表中选择一项操作。
staff-err-date = “{ $value }”不是日期：请按 YYYY-MM-DD 格式填写。
staff-err-range = 截止日期不能早于起始日期。
staff-subj-application = 第 { $id } 号申请
staff-subj-user = 第 { $id } 号账户
staff-subj-decision = 决定 { $id }
staff-subj-key = 签名密钥 { $id }
staff-subj-file = 一个证明文件
staff-subj-edition = 目录版本 { $id }
staff-act-session-create = 登录
staff-act-user-create = 创建账户
staff-act-user-update = 修改账户
staff-act-factor-enrol = 设置第二重验证
staff-act-factor-recovery = 使用恢复码
staff-act-factor-remove = 取消本人的第二重验证
staff-act-factor-reset = 重置第二重验证
staff-act-app-create = 开始填写申请
staff-act-app-edit = 保存申请
staff-act-app-delete = 删除草稿
staff-act-evidence-add = 上传证明材料
staff-act-app-submit = 提交申请
staff-act-app-withdraw = 撤回申请
staff-act-case-view = 打开案件
staff-act-case-assign = 分配案件
staff-act-case-note = 添加内部备注
staff-act-template-add = 添加理由模板
staff-act-template-change = 修改理由模板
staff-act-template-delete = 删除理由模板
staff-act-app-open = 开始审核
staff-act-app-more = 要求补充材料
staff-act-app-approve = 批准申请
staff-act-app-reject = 不予认可
staff-act-decision-issue = 签发决定
staff-act-decision-revoke = 撤销决定
staff-act-key-create = 创建签名密钥
staff-act-key-rotate = 更换签名密钥（原密钥继续公布）
staff-act-evidence-sweep = 清理未使用的文件
staff-act-edition-import = 导入目录版本
staff-act-edition-overlay = 修改目录版本的补充数据
staff-act-edition-publish = 发布目录版本
staff-act-edition-discard = 放弃目录版本草稿

audit-detail-role = 角色：{ $role }
audit-detail-disabled = 账户已停用
audit-detail-enabled = 账户可用
audit-detail-had-factor = 此前已设置两步验证
audit-detail-had-no-factor = 此前未设置两步验证
audit-detail-recovery-codes = 已发放 { $count } 个恢复码
audit-detail-codes-left = 剩余 { $count } 个恢复码
audit-detail-joiner = ；
audit-detail-state = 状态：{ $from } → { $to }
audit-detail-second-factor = 已通过两步验证
audit-detail-file = 文件 SHA-256 { $sha }…

## 理由模板（管理员维护；审核人在决定表单中选用）
rt-title = 理由模板
rt-intro = 为每种决定预先写好的理由。审核人在决定表单中选择模板后，其正文会以先中文后英文的顺序加入理由，再按个案补充。
rt-add-title = 添加模板
rt-change-title = 修改模板
rt-add = 添加模板
rt-save = 保存模板
rt-none = 该决定类型暂无模板。
rt-in-zh = 中文
rt-in-en = 英文
rt-actions = 操作
rt-change = 修改
rt-delete = 删除
rt-back = 返回理由模板
rt-outcome = 适用的决定
rt-title-zh = 中文标题
rt-title-en = 英文标题
rt-text-zh = 中文正文
rt-text-en = 英文正文
rt-text-help = 即申请人将看到的文字。至多 1999 个字符。
rt-conflict = 您编辑期间另一位管理员修改了此模板。您输入的内容保留在下方：现在保存将替换其修改。
rt-gone = 您编辑期间另一位管理员删除了此模板。您输入的内容保留在下方：现在添加将另存为新模板。
rt-delete-title = 删除此理由模板？
rt-delete-text = 决定表单将不再提供“{ $title }”。已使用该模板的决定保留其理由。
rt-outcome-approved = 予以认定
rt-outcome-rejected = 不予认定
rt-outcome-more_information = 要求补充材料
