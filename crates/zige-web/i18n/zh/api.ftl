# 接口的错误信封：路由、响应加固、目录接口与运维接口的消息。
api-no-endpoint = 没有这个接口：{ $path }
api-method-not-allowed = { $method } 不能用于 { $path }
api-uri-too-long = 查询字符串长 { $length } 字节，最多 { $max } 字节
api-body-too-large = 请求内容超过此接口允许的大小
api-not-processed = 请求无法处理：{ $reason }
api-profile-not-json = 请以 application/json 格式提交申请人信息
api-profile-too-large = 提交的内容超过 64 KB
api-export-failed = 导出失败
api-not-writable = 数据库可读但无法写入（磁盘已满？）
api-not-ready = 数据库无响应
api-text-empty = 文字为空：请发送简历、个人简介或证书的文字
api-text-too-long = 文字有 { $length } 个字符，最多读取 { $max } 个
api-text-body-too-large = 请求内容超过 { $bytes } 字节：文字最多 { $max } 个字符
api-text-not-utf8 = 文字不是 UTF-8 编码（第 { $at } 字节起）：请以 UTF-8 发送
api-text-media-type = 请以 UTF-8 编码的 text/plain，或含 text 成员的 application/json 发送文字
api-text-busy = 正在读取的文字过多：请 { $seconds } 秒后重试
