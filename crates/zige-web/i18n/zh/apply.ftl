# 申请流程：开始页、申请表、证明材料、核对信息。

apply-title = 申请境外职业资格认可
apply-lead = 通过本服务，申请认可北京市目录所列的境外职业资格。审核人员审核您的申请后，您会收到一份任何人都可以核验的签名决定书。
apply-who-title = 谁可以申请
apply-who = 持有目录所列境外职业资格的人员可以申请。不确定？请先在目录中查找，或查询该资格能为您带来什么。
apply-who-browse = 浏览目录
apply-who-check = 资格查询
apply-chosen = 您申请的资格：{ $entry }
apply-need-title = 您需要准备
apply-need-intro = 开始之前，请准备好：
apply-need-cert = 证书信息：证书编号、发证机构、发证日期，以及有效期截止日期（如有）
apply-need-profile = 您的年龄、国籍、最高学历、相关工作年限，以及是否受聘于北京的用人单位
apply-need-files = 证书的扫描件或照片：PDF、JPEG 或 PNG 格式，每个文件不超过 { $size } MB，每份申请最多 { $files } 个文件，总计不超过 { $total } MB
apply-time-title = 需要多长时间
apply-time = 约 10 分钟。您可以随时保存并稍后继续填写。提交后由审核人员审核，每一步都会显示在您的申请页面上。
apply-privacy = 我们如何使用您提供的信息：
apply-privacy-link = 查看隐私声明
apply-start = 开始申请
apply-signed-out = 申请需要账号，以便保存您填写的内容并跟踪申请进度。
apply-sign-in = 登录
apply-register = 注册账号
apply-staff = 审核人员和管理员账号不提交申请。

apply-unknown-entry = “{ $value }”不是目录中的资格。请从列表中选择（输入名称或代码），以便核查您的申请。
apply-entry-help = 输入名称、发证机构或代码（如 G7），然后从列表中选择。
apply-entry-none = 没有匹配的资格。
apply-entry-count = { $count ->
   *[other] 有 { $count } 项资格匹配；用上下方向键选择。
}
apply-date-hint = 例如：27 3 2020
apply-date-day = 日
apply-date-month = 月
apply-date-year = 年
apply-date-day-label = 日
apply-date-month-label = 月
apply-date-year-label = 年
apply-date-and = 和
apply-date-missing = { $field }须填写{ $parts }。
apply-date-bad-day = { $field }：日须为 1 至 31 之间的数字。
apply-date-bad-month = { $field }：月须为 1 至 12 之间的数字。
apply-date-bad-year = { $field }：年须为 4 位数字，例如 2020。
apply-date-real = { $field }须为真实存在的日期。

apply-files-limit = PDF、JPEG 或 PNG 格式，每个文件不超过 10 MB。
apply-upload = 上传文件
apply-remove = 删除
apply-remove-label = 删除 { $name }
apply-removed = 文件已删除。
apply-save-hint = 本页的每个按钮都会先保存您已填写的内容。
apply-continue = 保存并继续
apply-step-submit = 3. 核对并提交
apply-continue-help = 下一步核对您填写的信息，然后提交。提交后由审核人员审核，审核期间不能修改。

apply-request-title = 审核人员需要补充材料
apply-request-text = 请按要求修改下面的内容，如有需要补充上传文件，然后核对信息并重新提交。
apply-request-when = 要求时间：{ $at }

cya-title = 提交前请核对您填写的信息
cya-lead = 申请 #{ $id }。请确认各项信息无误；如需修改，请点击“修改”。
cya-details = 您填写的信息
cya-files = 您上传的文件
cya-change = 修改
cya-incomplete = 提交前，请先完成以下各项：
cya-declaration-title = 声明
cya-declaration = 本人声明：所填信息真实、完整，所上传的文件为本人证件的副本。
cya-declaration-missing = 提交前请勾选声明。
cya-submit = 同意并提交
cya-back = 返回申请
