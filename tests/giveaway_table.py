"""Wordings that give a student edition's answer away (CB311), and wordings that must pass.

Each row is a sentence as an editor might write it in a collection's title,
introduction, prompt or question, or in a case's facts. ``DEVELOPMENT`` is
what the patterns of ``schema/giveaway.py`` were grown on; ``HELD_OUT`` was
written at the same time, before any pattern, and measured once at the end
(``python -m tests.giveaway_table`` prints both figures).
"""

from __future__ import annotations

# (text, whether CB311 must catch it)
DEVELOPMENT: list[tuple[str, bool]] = [
    # rulings in their written forms, and their kin
    ("经研究，决定不再追究其责任。", True),
    ("谢某某最终未被追责。", True),
    ("该干部没有受到处分。", True),
    ("他获免问责，继续主持工作。", True),
    ("周某被给予党内警告处分。", True),
    ("举报查无实据，成某获澄清正名。", True),
    ("区纪委决定对其容错免责。", True),
    ("最终予以容错。", True),
    ("对相关责任人免予处分。", True),
    ("对其从轻处理。", True),
    ("县纪委给予其政务记过处分。", True),
    ("三人受到党内严重警告处分。", True),
    ("两名干部被问责。", True),
    ("副镇长被免职。", True),
    ("他受到诫勉谈话。", True),
    ("纪委为其澄清正名。", True),
    ("组织为他还了清白。", True),
    ("经核实后为其恢复名誉。", True),
    ("不予追究责任。", True),
    ("未予问责。", True),
    ("没有被追究责任。", True),
    ("其行为属于容错情形。", True),
    ("对其减轻处分。", True),
    ("最终被从轻处理。", True),
    ("县纪委对其严肃问责。", True),
    ("两人被移送司法机关。", True),
    ("给予谢某某容错减责。", True),
    ("他得到了容错。", True),
    ("其做法被认定为容错。", True),
    ("他获得免责。", True),
    ("组织对他作出了免予处分的决定。", True),
    ("对其予以批评教育。", True),
    ("容错认定没有妨碍他晋升。", True),
    ("问责之后的回访教育、重新使用与容错有什么不同？", True),
    ("镇长张某某未受处分。", True),
    ("经组织研判后得到宽容的做法。", True),
    # outcomes told by position or count
    ("本专题最后四案专门用于讨论哪些情形不能靠容错解决。", True),
    ("后四个案例是干部被举报后恢复名誉的情形。", True),
    ("最后一案换一个角度：依规办件的窗口干部遭到举报时，同样能靠事实保护自己。", True),
    ("前八个案例的结果从批评教育到纠正问责对象不等。", True),
    # pointing to what the student booklet does not hold
    ("读完案情后，再翻开处理结果对照。", True),
    ("最后打开处理结果核对。", True),
    ("讨论后对照要旨检查自己的判断。", True),
    ("参考答案附在书后。", True),
    ("形成意见后再与处理结果和要旨比对。", True),
    # must pass: procedure, institutions, hypotheses, fears, topics, book titles
    ("他向区纪委申请容错免责。", False),
    ("是否予以容错，由委员会集体研究决定。", False),
    ("本专题围绕容错纠错机制展开。", False),
    ("依照《某市容错免责实施办法》第五条。", False),
    ("担心被问责，他迟迟不敢拍板。", False),
    ("如果被给予党内警告处分，会影响年度考核吗？", False),
    ("他会不会受到处分？", False),
    ("澄清正名：为担当者撑腰", False),
    ("学习重点在核查方法和恢复名誉的方式。", False),
    ("党纪处分、行政拘留、刑事追究这几种途径各适用于什么情形？", False),
    ("县纪委启动问责程序。", False),
    ("哪些情形属于追责问责的范围？", False),
    ("合同中的免责条款是否有效？", False),
    ("容错免责委员会由纪委牵头。", False),
    ("村干部被匿名举报侵占补偿款。", False),
    ("每组两案的先后顺序不代表结果。", False),
    ("请学员先只读案情，写下结论和理由，再参加讨论。", False),
    ("在什么条件下可以容错免责？", False),
    ("能否免予问责，要看是否符合条件。", False),
    ("以免受到处分，他隐瞒了情况。", False),
    ("把本案与前一案逐项对照六看，差别最大的是哪一项？", False),
    ("请对照前一案说明两种做法的区别。", False),
    ("本案当事人与后一案当事人都没有谋私。", False),
    ("分析本案落在三个区分开来的哪一侧。", False),
    ("容错纠错要把握好“三个区分开来”。", False),
    ("这个问题没有标准答案。", False),
    ("调查组依规依纪开展调查。", False),
    ("若干村民反映问题。", False),
    ("他害怕被追责而不作为。", False),
    ("应当怎样准确表述处理依据？", False),
    ("写下结论和理由后，由教师组织讲评。", False),
]

HELD_OUT: list[tuple[str, bool]] = [
    ("经集体研究，决定对李某某不予问责。", True),
    ("张某最终没有被处分。", True),
    ("对涉事干部予以免责。", True),
    ("王某某被给予政务警告处分。", True),
    ("最终，刘某某受到党内警告处分。", True),
    ("县纪委监委为其公开澄清正名。", True),
    ("组织上没有追究他的责任。", True),
    ("经审查，认定其行为可予容错。", True),
    ("相关人员被诫勉谈话。", True),
    ("对其免于党纪处分。", True),
    ("其中两案的当事人被追责。", True),
    ("前三个案例都得到了容错。", True),
    ("学完案情后，请翻到书后的分析部分核对。", True),
    ("区纪委对其作出容错认定。", True),
    ("此案最终以批评教育了结。", True),
    ("他未受到任何追究。", True),
    ("对其减轻问责。", True),
    ("他被撤销党内职务。", True),
    ("后来他被提拔为副局长。", True),
    ("举报人因诬告被追究责任，当事人恢复了名誉。", True),
    ("是否给予处分，应当听取本人陈述。", False),
    ("容错免责清单列出了八种情形。", False),
    ("他担心被追责，迟迟没有动工。", False),
    ("如果免予问责，能否影响考核？", False),
    ("干部对组织处理不服的，可以申诉。", False),
    ("县委出台了容错纠错实施办法。", False),
    ("这一做法能否算作探索性试验？", False),
    ("请说明本案在六看中的各项认定。", False),
    ("村民对补偿款去向提出质疑。", False),
    ("要防止容错变成“保护伞”。", False),
    ("《问责条例》第七条规定了问责情形。", False),
    ("本组两案都涉及集体资金。", False),
    ("假如他已收到上级的书面通知，结论会不会改变？", False),
    ("有人认为应当从轻处理，你怎么看？", False),
    ("申请免责需要提交哪些材料？", False),
    ("纪委受理后开展了核查。", False),
    ("你认为澄清正名的范围应当多大？", False),
    ("如何区分错告与诬告？", False),
]


def score(rows: list[tuple[str, bool]]) -> tuple[int, int, int, int, list[str]]:
    """``(caught, to catch, false alarms, to pass, wrong rows)`` of the CB311 patterns on ``rows``."""
    from casebook.schema.giveaway import giveaways

    caught = alarms = 0
    wrong = []
    for text, expected in rows:
        found = bool(giveaways(text, booklet=True))
        caught += found and expected
        alarms += found and not expected
        if found != expected:
            wrong.append(("漏报 " if expected else "误报 ") + text)
    positives = sum(1 for _, e in rows if e)
    return caught, positives, alarms, len(rows) - positives, wrong


if __name__ == "__main__":
    import sys

    parts = {"development": DEVELOPMENT, "held-out": HELD_OUT}
    for name in sys.argv[1:] or parts:
        rows = parts[name]
        caught, positives, alarms, negatives, wrong = score(rows)
        print(f"{name}: caught {caught}/{positives}, false alarms {alarms}/{negatives}")
        for row in wrong:
            print("  " + row)
