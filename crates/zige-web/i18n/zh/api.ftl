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
