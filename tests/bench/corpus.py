"""Synthetic cases for benchmarks: valid, varied, realistic in length and mix, reproducible.

    python -m tests.bench.corpus 1000 /tmp/cases-1000 --seed 7

Text is assembled from a phrase bank written for this purpose (no sentence
of a real case), with figures, places and dates drawn at random. The mix of
outcomes, distinctions, domains and years follows the shipped corpus and
the published statistics it cites (most published cases clear a name or
exempt a cadre).
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from casebook.schema import vocabulary as vocab
from casebook.schema.authoring import canonical_text
from casebook.schema.models import Case

REGIONS = [
    ("江苏省", "淮安市", "清江浦区"), ("江苏省", "泰州市", "泰兴市"), ("江苏省", "常州市", "金坛区"),
    ("湖北省", "宜昌市", "宜都市"), ("湖北省", "十堰市", "郧西县"), ("湖北省", "孝感市", "汉川市"),
    ("湖北省", "咸宁市", "嘉鱼县"), ("湖北省", "黄冈市", "黄梅县"), ("湖南省", "娄底市", "冷水江市"),
    ("云南省", "昆明市", "嵩明县"), ("云南省", "曲靖市", "陆良县"), ("浙江省", "湖州市", "德清县"),
    ("浙江省", "杭州市", "富阳区"), ("山东省", "青岛市", "市北区"), ("山东省", "东营市", "河口区"),
    ("河南省", "周口市", "淮阳区"), ("河南省", "濮阳市", "濮阳县"), ("江西省", "赣州市", "南康区"),
    ("四川省", "遂宁市", "船山区"), ("贵州省", "黔东南苗族侗族自治州", "岑巩县"), ("安徽省", "滁州市", "凤阳县"),
    ("陕西省", "咸阳市", "永寿县"), ("辽宁省", "铁岭市", "开原市"), ("广西壮族自治区", "河池市", "南丹县"),
    ("重庆市", "重庆市", "永川区"), ("新疆维吾尔自治区", "喀什地区", "叶城县"), ("西藏自治区", "日喀则市", "桑珠孜区"),
]  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
OUTCOME_WEIGHTS = {
    "cleared": 40, "exempted": 25, "mitigated": 8, "lighter": 6, "no_sanction": 7, "accountable": 8, "undisclosed": 6,
}  # fmt: skip
PROJECTS = ["某重大产业项目", "某农村饮水工程", "某背街小巷改造项目", "某农贸市场提升项目", "某危桥改造工程",
            "某安置小区建设项目", "某村集体经济项目", "某防汛排涝工程", "某学校扩建工程", "某污水管网工程"]  # fmt: skip
OPENINGS = [
    "{year}年，{place}在推进{project}时遇到卡点：{obstacle}。",
    "{year}年{month}月，{place}承接{project}，工期紧、任务重，{obstacle}。",
    "为按期完成{project},{place}有关部门在{year}年上半年连续召开推进会，但{obstacle}。",
]
OBSTACLES = [
    "部分前置审批材料一时无法补齐",
    "原定施工方案与实际地质条件不符",
    "上级资金迟迟未能拨付到位",
    "相关政策尚无明确规定",
    "群众对补偿标准意见较大",
    "疫情防控要求与复工复产需要相互交织",
    "汛期临近而主体工程尚未完工",
    "村集体账目长期未清理",
]
ACTIONS = [
    "{alias}提出先由企业书面承诺限期补齐材料，再先行办理相关手续，项目因此提前约{n}个月开工。",
    "{alias}牵头研究后，决定调整施工方案，并将调整情况报告了分管领导，但未按规定履行变更审批程序。",
    "{alias}在未经集体研究的情况下，先行拨付了{n}十万元工程款，以保证工人工资按时发放。",
    "{alias}组织村两委集体商议，采取简化比选的办法确定了施工队伍，节约资金{n}万余元。",
    "{alias}按照上级要求加快推进，对个别环节的审核把关有所放松。",
    "{alias}带领工作人员连续多日驻点，在材料不全的情况下先行组织施工。",
]
ALLEGATIONS = [
    "有人匿名举报{alias}在{project}中收受好处、优亲厚友。",
    "网络上出现帖子，称{alias}在征地补偿中暗箱操作、截留资金。",
    "有群众反映{alias}利用职务便利为亲属承揽工程。",
    "举报信称{alias}在低保评定中弄虚作假，把名额给了关系户。",
]
FINDINGS = [
    "经调查，上述做法虽不符合有关规定，但出发点是推动工作，{alias}没有从中谋取任何私利。",
    "调查组查阅账目、走访群众{n}十余人次，未发现{alias}存在廉洁问题，群众对项目普遍满意。",
    "纪委监委核查认定，举报反映的问题均不属实，相关资金往来手续完备、去向清楚。",
    "经核实，问题主要源于客观条件限制，{alias}事后及时采取补救措施，没有造成损失扩大。",
    "调查发现，{alias}明知相关规定仍执意为之，并存在隐瞒情况的行为，造成了一定损失。",
]
CORRECTIONS = ["督促企业补齐全部材料", "补办了正式审批手续", "追回多付款项", "完善了村级工程管理制度",
               "对相关台账进行全面清理", "组织开展专题警示教育"]  # fmt: skip
USES = ["年度考核未受影响", "此后被提拔使用", "组织对其进行回访谈心", "评优评先不受影响"]
LESSONS = ["容错不是纵容，前提是出于公心、没有谋私。", "先行先试要留痕，重大事项应集体研究。",
           "对失实举报要及时澄清，为担当者撑腰。", "事前报备可以为探索性工作提供依据。"]  # fmt: skip
QUESTIONS = ["如果当事人事后没有及时补救，认定结果会有何不同？", "本案中哪些因素对容错认定起了决定作用？",
             "如何区分推动发展的无意过失与谋取私利？", "澄清正名应当在多大范围内进行？"]  # fmt: skip
RULES = ["《中华人民共和国招标投标法》", "《中国共产党纪律处分条例》", "《建设工程质量管理条例》",
         "《村级小微权力清单》", "《政府投资条例》", "《中华人民共和国土地管理法》"]  # fmt: skip


def _alias(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(["某", "某某"])


def _fill(template: str, rng: random.Random, **slots: str) -> str:
    return template.format(n=str(rng.randint(2, 9)), **slots)


def synthetic_case(i: int, rng: random.Random) -> dict:
    """One valid case as plain data; ``i`` makes the id unique."""
    outcome = rng.choices(list(OUTCOME_WEIGHTS), weights=list(OUTCOME_WEIGHTS.values()))[0]
    province, city, district = rng.choice(REGIONS)
    year = rng.choices(range(2016, 2026), weights=[1, 2, 4, 8, 8, 6, 7, 7, 8, 9])[0]
    alias = _alias(rng)
    project = rng.choice(PROJECTS)
    place = f"{city}{district}"
    slots = {"alias": alias, "project": project, "place": place}
    opening = _fill(rng.choice(OPENINGS), rng, year=str(year - 1), month=str(rng.randint(1, 12)),
                    obstacle=rng.choice(OBSTACLES), **slots)  # fmt: skip
    if outcome == "cleared":
        body = [_fill(rng.choice(ALLEGATIONS), rng, **slots), _fill(FINDINGS[2], rng, **slots)]
    else:
        body = [_fill(a, rng, **slots) for a in rng.sample(ACTIONS, 2)]
        body.append(
            _fill(FINDINGS[4] if outcome == "accountable" else rng.choice(FINDINGS[:2] + FINDINGS[3:4]), rng, **slots)
        )
    facts = opening + "".join(body) + "\n\n" + _fill(rng.choice(FINDINGS[:2]), rng, **slots)
    distinctions = []
    if outcome != "cleared":
        for name in rng.sample(vocab.ids("distinctions"), rng.choice([1, 1, 1, 2])):
            side = "not_tolerated" if outcome == "accountable" else "tolerated"
            distinctions.append({"distinction": name, "side": side, "source": rng.choice(["stated", "implied"]),
                                 "reasoning": "结合动机、程序和后果综合研判。"})  # fmt: skip
    values = ["favourable", "unfavourable", "mixed", "unknown"]
    weights = [1, 6, 2, 2] if outcome == "accountable" else [6, 1, 2, 2]
    looks = {
        f: {"value": rng.choices(values, weights)[0], "note": "据通报所载情况认定。"} for f in vocab.ids("factors")
    }
    published = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    label = vocab.label("outcomes", outcome)
    return {
        "id": f"{year}-synthetic-{i:05d}",
        "title": f"{district}{project.removeprefix('某')}中{alias}{label}案",
        "subtitle": f"{place}{project}推进中出现问题，经调查核实后{label}",
        "keywords": rng.sample(
            [
                "容缺办理",
                "容错免责",
                "澄清正名",
                "先行先试",
                "集体决策",
                "工程建设",
                "乡村振兴",
                "不实举报",
                "事前报备",
                "补救措施",
            ],
            4,
        ),
        "publication": {
            "publisher": f"{district}纪委监委",
            "published": published,
            "sources": [{"url": f"https://example.org/cases/{year}/{i}.html"}],
            "visibility": "internal" if rng.random() < 0.05 else "public",
            "status": {"state": "current", "issued": "2026-11-01"},
        },
        "region": {"province": province, "city": city, "district": district},
        "person": {"alias": alias, "role": rng.choice(vocab.ids("roles")), "level": rng.choice(vocab.ids("levels"))},
        "domain": rng.choice(vocab.ids("domains")),
        "facts": facts,
        "rules_breached": [] if outcome == "cleared" else [{"regulation": rng.choice(RULES)}],
        "distinctions": distinctions,
        "six_looks": looks,
        "outcome": {"result": outcome, "wording": f"对{alias}{label}"},
        "correction": rng.sample(CORRECTIONS, 2),
        "use_of_result": rng.sample(USES, 1),
        "procedure": [{"step": "investigation"}, {"step": "determination"}, {"step": "publication", "date": published}],
        "key_point": rng.choice(LESSONS) + rng.choice(LESSONS),
        "lessons": rng.sample(LESSONS, 2),
        "questions": rng.sample(QUESTIONS, 2),
    }


def write_corpus(n: int, folder: Path, seed: int = 7) -> list[Path]:
    """Write ``n`` valid synthetic case files under ``folder/<year>/``; same seed, same files."""
    rng = random.Random(seed)
    paths = []
    for i in range(n):
        case = Case.model_validate(synthetic_case(i, rng))
        path = folder / str(case.year) / f"{case.id}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(canonical_text(case), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description="生成用于性能测试的合成案例")
    parser.add_argument("n", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    paths = write_corpus(args.n, args.folder, args.seed)
    print(f"已生成 {len(paths)} 个合成案例于 {args.folder}")


if __name__ == "__main__":
    main()
