# 接口的错误信息（错误的 `message.zh`）。
api-invalid = 字段 { $field } 的值“{ $value }”无效，允许：{ $allowed }
api-not-found = 找不到{ $what ->
        [entry] 职业资格
        [catalog] 目录版本
       *[other] 资源
    }“{ $value }”
api-unauthorized = 请先登录
api-forbidden = 您的账户角色无权进行此操作
api-internal = 服务器内部错误，您提交的内容未丢失，请重试
api-unavailable = 本服务器未配置数据库
api-changed-meanwhile = 申请已被他人更改或当前状态不允许此操作，请刷新后查看
api-duplicate = 该邮箱已注册，请直接登录
api-storage-full = 服务器存储空间已满，未保存任何内容，请稍后重试
api-too-many-files = 该申请已有 { $max } 个证明文件，已达上限，未保存
api-too-many-drafts = 您已有 { $max } 份未提交的草稿，已达上限：请先提交或删除一份
api-storage-limit = 您的证明文件总量将超过每个账户 { $max } 字节的上限，未保存
api-json-body = 请求体须为 application/json
api-too-many-attempts = 登录失败次数过多，请 { $seconds } 秒后再试
api-busy = 同时登录的人太多，请 { $seconds } 秒后重试
api-csrf = 表单已过期或缺少安全令牌，请刷新页面后重试
api-bad-credentials = 邮箱或密码错误
api-wrong-password = 密码错误
api-second-factor-required = 请在 code 中填写身份验证器应用中的 6 位验证码（或一个恢复码）
api-second-factor-wrong = 验证码错误或已使用过：请输入应用显示的下一个验证码，或一个未用过的恢复码
api-second-factor-enrolment-required = 工作人员账户须设置两步验证：请先用浏览器登录一次完成设置
api-second-factor-exists = 此账户已设置两步验证
api-second-factor-no-setup = 没有正在进行的设置，请重新开始
api-second-factor-staff = 工作人员账户必须保留两步验证；丢失时请管理员重置
api-not-now-edited = 申请当前状态为“{ $state }”，不能修改
api-not-now-changed = 申请当前状态为“{ $state }”，不能修改
api-not-now-deleted = 申请当前状态为“{ $state }”，不能删除（只能删除草稿）
api-not-a-file = 文件不是 PDF、JPEG 或 PNG（按内容判断，而非文件名）
api-file-too-large = 文件超过 10 MB，未保存
api-multipart = 请以 multipart/form-data 上传文件
api-upload-form = 请使用上传表单提交文件
api-conditions-unmet = 规则引擎认定未满足该资格的条件：请不予认定，或要求补充材料
api-unknown-decision = 没有与此核验码对应的认定决定
api-already-revoked = 该决定已被撤销
api-own-admin = 不能取消自己的管理员角色或停用自己
api-link-used = 此链接已使用或已过期：请重新申请
api-link-unknown = 此链接无效：请完整复制邮件中的链接，或重新申请
api-email-unverified = 提交之前请确认您的电子邮箱：打开我们发送到 { $email } 的链接，或在账户页面重新发送
rev-template-none = 请先从列表中选择模板，再加入理由
rev-template-gone = 该模板在页面显示后已被删除，请选择其他模板
rev-template-too-long = 加入该模板后理由将超过4000字，请先删减已填写的内容
