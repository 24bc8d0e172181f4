"""One error type that knows where: file, line, field, code and message.

Codes are stable (tools may match on them); messages are Chinese (users
read them). ``CODES`` is the one table of every code and what it means; the
README's error table is checked against it by a test.
"""

from __future__ import annotations

import errno
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]

CODES: dict[str, str] = {
    # reading the file
    "CB001": "YAML 语法错误",
    "CB002": "文件编码不是 UTF-8",
    "CB003": "文件为空",
    "CB004": "顶层不是映射（键: 值）",
    "CB005": "使用了 YAML 锚点或别名",
    "CB006": "嵌套过深",
    "CB007": "文件过大",
    "CB008": "同一映射中键重复",
    "CB009": "文件无法读取",
    "CB010": "符号链接指向所在目录之外",
    "CB011": "不是普通文件（命名管道、设备等）",
    "CB012": "文件含 NUL 或 YAML 不允许的控制字符",
    # schema
    "CB101": "未知字段",
    "CB102": "缺少必填字段",
    "CB103": "类型不对",
    "CB104": "取值不在词表中",
    "CB105": "日期格式不对或日期不存在",
    "CB106": "长度或数量超出范围",
    "CB107": "格式不符（如编号、网址）",
    "CB108": "重复的条目",
    "CB109": "只能写一行",
    "CB110": "取值无效",
    "CB111": "文字中含控制字符",
    # one case, across fields
    "CB201": "案例编号重复",
    "CB202": "案例编号与文件名不一致",
    "CB203": "相关案例不存在",
    "CB204": "日期先后顺序不对",
    "CB205": "日期晚于今天",
    "CB206": "撤回状态信息不完整",
    "CB207": "相关案例指向自身",
    # collections
    "CB401": "专题引用的案例不存在",
    "CB402": "公开专题收入了内部案例",
    "CB403": "专题中案例重复",
    "CB404": "专题收入了已撤回的案例",
    # anonymisation lint
    "CB301": "化名未打码",
    "CB302": "含身份证号码",
    "CB303": "含手机号码",
    "CB304": "含固定电话号码",
    "CB305": "含电子邮箱",
    "CB306": "含机动车号牌",
    "CB307": "含银行卡号",
    "CB308": "含未打码的真实姓名",
    "CB309": "声明公开的姓名未在文字中出现",
    "CB310": "可能点名具体企业或项目",
    "CB312": "含门牌级住址（楼栋、单元、室号，或村组门牌号）",
    # study texts
    "CB311": "学员研判前读到的文字点明了处理结果，或指向学员版没有的内容",
}


@dataclass(frozen=True, order=True)
class Problem:
    """A problem found in one case file.

    ``line`` is 1-based (``None`` when the file could not be parsed far
    enough to know); ``field`` is a dotted path such as
    ``publication.sources[0].url`` or ``-`` for the file as a whole.
    """

    file: str
    line: int | None
    field: str
    code: str
    message: str
    severity: Severity = "error"
    column: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        tag = self.code if self.severity == "error" else f"{self.code} 警告"
        return f"{where}: {self.field}: {self.message} [{tag}]"

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class CaseError(Exception):
    """Raised at a boundary when problems stop the job; carries them all."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def field_path(path: tuple[str | int, ...]) -> str:
    """Render ``("publication", "sources", 0, "url")`` as ``publication.sources[0].url``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "-"


# Errors of a disk that cannot take what is written, as users read them.
DISK_ERRORS = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.EROFS: "没有写权限（或是只读文件系统）",
    errno.EACCES: "没有写权限（或是只读文件系统）",
    errno.EPERM: "没有写权限（或是只读文件系统）",
    errno.EIO: "磁盘读写出错（I/O 错误）",
}


def write_error_message(error: OSError, where: object) -> str:
    """A Chinese message for a write that failed on disk: 无法写入 site：磁盘空间不足."""
    reason = DISK_ERRORS.get(error.errno or 0, f"写入失败（{error.strerror}）")
    return f"无法写入 {where}：{reason}"
