#!/usr/bin/env python3
"""Writes a believable ledger CSV in the import template's columns, for benchmarks.

    scripts/generate-ledger.py --region 35 --rows 100000 --out /tmp/ledger-100k.csv

Townships come from the bundled national division table; rows are spread over every
township of the region, with stages, dates and counts in the proportions of the 2012
campaign. The same arguments always give the same file (seeded).
"""
import argparse, csv, random, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "Sources/TaizhangCore/Resources/divisions-china.csv"
HEADER = ["组织编码", "县（市、区）", "乡镇（街道）", "团组织名称", "组织类型", "单位类别", "建团方式", "覆盖单位", "建设阶段",
          "筹建批复日期", "成立日期", "批复文号", "书记姓名", "书记电话", "代理书记", "团建指导员", "团员数", "青年数",
          "是否双重管理", "县直主管部门", "新建或联系指导", "品牌工作", "备注"]
UNITS = [("鞋业有限公司", "非公企业", "单独建团"), ("纺织有限公司", "非公企业", "单独建团"), ("中心小学", "学校", "单独建团"),
         ("卫生院", "乡镇政府内设站所", "单独建团"), ("派出所", "部门派驻乡镇机构", "单独建团"), ("农贸市场", "个体工商户", "市场建团"),
         ("茶叶专业合作社", "农村专业合作组织", "单独建团"), ("青年志愿者协会", "青年自组织", "社团建团"), ("工业园区", "工业园区", "园区建团"),
         ("商务楼宇", "非公企业", "楼宇建团"), ("商业街", "个体工商户", "街区建团"), ("物流有限公司", "非公企业", "行业建团")]
SURNAMES = "陈林黄张李王吴刘蔡杨许郑谢洪郭邱曾庄苏"
GIVEN = ["晓东", "志强", "丽娟", "建华", "雅琴", "国平", "少杰", "美玲", "文斌", "秀英"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--region", default="35", help="division code prefix (2/4/6 digits) or CN")
    parser.add_argument("--rows", type=int, default=100000)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=2012)
    parser.add_argument("--first-number", type=int, default=1,
                        help="numbering of names per township starts here (to add a second file to a ledger)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    names, townships = {}, []
    with open(TABLE, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            names[row["code"]] = row["name"]
            if row["level"] == "township" and (args.region == "CN" or row["code"].startswith(args.region)):
                townships.append((row["code"], row["parent_code"]))
    if not townships:
        sys.exit(f"no townships under {args.region}")
    per_township = {}
    with open(args.out, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for i in range(args.rows):
            code, county = townships[i % len(townships)]
            n = per_township.get(code, args.first_number - 1) + 1
            per_township[code] = n
            suffix, category, mode = UNITS[n % len(UNITS)]
            roll = rng.randrange(100)
            stage = "已建立" if roll < 55 else "筹建" if roll < 80 else "类团组织" if roll < 90 else "青年组织"
            approved = f"2012-10-{rng.randrange(1, 29):02d}"
            founded = f"2012-11-{rng.randrange(1, 29):02d}" if stage == "已建立" else ""
            members = rng.randrange(3, 40)
            writer.writerow(["", names.get(county, ""), code, f"{names[code]}第{n}{suffix}团支部", "团支部", category, mode, "", stage,
                             approved if stage in ("已建立", "筹建") else "", founded, "", rng.choice(SURNAMES) + rng.choice(GIVEN),
                             f"139{rng.randrange(10**8):08d}", "", "", members, members * 3, "否", "", "新建", "", ""])
    print(f"wrote {args.rows} rows over {len(per_township)} townships to {args.out}")


if __name__ == "__main__":
    main()
