service = 资格：北京市境外职业资格认可服务
greeting = 您好：
footer = 本邮件由{ service }发送。请勿直接回复：此邮箱无人查看。
link-intro = 请打开以下链接：

verify_address-subject = 请确认您的电子邮箱
verify_address-body = 请确认 { $email } 是您的电子邮箱，以便我们就您的申请与您联系。确认之前您可以先填写申请，但提交之前须完成确认。
verify_address-after = 此链接仅可使用一次，7天内有效。如果您没有在本服务注册，请忽略本邮件：不打开链接，不会发生任何事情。

account_exists-subject = 您已有账户
account_exists-body = 有人（也许是您本人）尝试用此电子邮箱注册。此邮箱已有账户，因此没有作任何更改。请直接登录；如忘记密码，可在登录页面设置新密码。
account_exists-after = 如果不是您本人操作，您无需做任何事情。

password_reset-subject = 设置新密码
password_reset-body = 有人（也许是您本人）请求为使用此电子邮箱的账户设置新密码。
password_reset-after = 此链接仅可使用一次，1小时内有效。如果不是您本人请求，请忽略本邮件：您的密码保持不变。

password_changed-subject = 您的密码已更改
password_changed-body = 您账户的密码已更改，所有已登录的会话均已退出。
password_changed-after = 如果不是您本人更改，请立即在登录页面点击“忘记密码？”设置新密码。

submitted-subject = 我们已收到您的申请 { $application }
submitted-body = { $resubmitted ->
    [yes] 我们已收到您更新后的申请 { $application }，审核人员将再次审核。
   *[no] 我们已收到您的申请 { $application }，审核人员将进行审核；有进展时我们会写信告知您。
  }本申请将依据目录版本 { $catalog } 作出决定。
submitted-after = 请保留本邮件：申请编号是您的查询凭据。

more_info-subject = 申请 { $application }：需要补充材料
more_info-body = 审核人员需要您为申请 { $application } 补充材料。审核人员的要求如下：
more_info-after = 请于 { $lapses } 之前答复：补充所要求的内容后再次提交申请。

more_info_reminder-subject = 提醒：申请 { $application } 仍需补充材料
more_info_reminder-body = 审核人员于 { $requested } 要求您为申请 { $application } 补充材料，目前仍在等待您的答复。
more_info_reminder-after = 请于 { $lapses } 之前答复。

decided-subject = { $outcome ->
    [approved] 申请 { $application }：已认可
   *[rejected] 申请 { $application }：不予认可
  }
decided-body = { $outcome ->
    [approved] 您的申请 { $application } 已获认可。决定书编号：{ $number }。任何人都可以在线核验此决定。
   *[rejected] 您的申请 { $application } 未获认可。理由如下：
  }
decided-after = { $outcome ->
    [approved] 上面的链接打开此决定的公开核验页面。
   *[rejected] 您可以在申请页面查看决定及申诉途径。
  }

revoked-subject = 决定书 { $number } 已撤销
revoked-body = 关于您的申请 { $application } 的决定书 { $number } 已被撤销。理由如下：
revoked-after = 此决定的公开核验页面现已显示其已撤销。

digest-subject = 审核队列：待审 { $open } 件，新增 { $new_cases } 件
digest-body = 审核队列中：待审 { $open } 件，近一天新增 { $new_cases } 件，等待超过 { $days } 天的 { $waiting } 件。
digest-after = 您收到此摘要是因为您负责审核申请。您可以在账户页面关闭此摘要。

edition_published-subject = 目录版本 { $edition } 已发布
edition_published-body = 目录版本 { $edition } 已发布，自 { $effective } 起施行。
edition_published-after = 此后提交的申请将依据此版本作出决定。
