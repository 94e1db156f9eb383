"""Vocabulary for synthetic demo data. Every person it makes up is invented; institutions are generic."""

from __future__ import annotations

# (surname, pinyin as written in a passport). Weighted towards common surnames, with the heteronym
# surnames whose surname reading differs from the everyday one, and compound surnames.
CN_SURNAMES: list[tuple[str, str, int]] = [
    ("王", "Wang", 70), ("李", "Li", 70), ("张", "Zhang", 65), ("刘", "Liu", 55), ("陈", "Chen", 50),
    ("杨", "Yang", 35), ("黄", "Huang", 30), ("赵", "Zhao", 28), ("吴", "Wu", 25), ("周", "Zhou", 25),
    ("徐", "Xu", 20), ("孙", "Sun", 20), ("马", "Ma", 18), ("朱", "Zhu", 18), ("胡", "Hu", 16),
    ("郭", "Guo", 15), ("何", "He", 14), ("林", "Lin", 14), ("高", "Gao", 13), ("罗", "Luo", 12),
    ("郑", "Zheng", 12), ("梁", "Liang", 11), ("谢", "Xie", 10), ("宋", "Song", 10), ("唐", "Tang", 10),
    ("许", "Xu", 9), ("邓", "Deng", 9), ("冯", "Feng", 8), ("韩", "Han", 8), ("曹", "Cao", 8),
    ("彭", "Peng", 7), ("于", "Yu", 7), ("董", "Dong", 7), ("萧", "Xiao", 6), ("程", "Cheng", 6),
    ("叶", "Ye", 6), ("苏", "Su", 6), ("魏", "Wei", 6), ("蒋", "Jiang", 6), ("袁", "Yuan", 5),
    ("沈", "Shen", 5), ("单", "Shan", 3), ("曾", "Zeng", 5), ("解", "Xie", 2), ("区", "Ou", 2),
    ("仇", "Qiu", 2), ("查", "Zha", 2), ("朴", "Piao", 2), ("乐", "Yue", 2), ("翟", "Zhai", 2),
    ("覃", "Qin", 2), ("缪", "Miao", 2), ("欧阳", "Ouyang", 3), ("司马", "Sima", 2), ("诸葛", "Zhuge", 1),
    ("上官", "Shangguan", 1), ("东方", "Dongfang", 1), ("皇甫", "Huangfu", 1), ("慕容", "Murong", 1),
]

# Given-name characters with the reading they have in a name.
CN_GIVEN: list[tuple[str, str]] = [
    ("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"), ("强", "qiang"),
    ("磊", "lei"), ("军", "jun"), ("洋", "yang"), ("勇", "yong"), ("艳", "yan"), ("杰", "jie"), ("涛", "tao"),
    ("明", "ming"), ("超", "chao"), ("秀", "xiu"), ("霞", "xia"), ("平", "ping"), ("刚", "gang"),
    ("华", "hua"), ("慧", "hui"), ("建", "jian"), ("国", "guo"), ("海", "hai"), ("峰", "feng"), ("宇", "yu"),
    ("晨", "chen"), ("欣", "xin"), ("怡", "yi"), ("浩", "hao"), ("然", "ran"), ("博", "bo"), ("文", "wen"),
    ("思", "si"), ("雨", "yu"), ("佳", "jia"), ("琳", "lin"), ("子", "zi"), ("晓", "xiao"), ("东", "dong"),
    ("志", "zhi"), ("鹏", "peng"), ("飞", "fei"), ("婷", "ting"), ("雪", "xue"), ("云", "yun"), ("龙", "long"),
    ("凯", "kai"), ("鑫", "xin"), ("瑶", "yao"), ("璐", "lu"), ("嘉", "jia"), ("俊", "jun"), ("昊", "hao"),
    ("诚", "cheng"), ("蕾", "lei"), ("舒", "shu"), ("阳", "yang"), ("振", "zhen"), ("翔", "xiang"),
]

# (given names, family names, country, language) — Western names, many with diacritics.
WESTERN: list[tuple[list[str], list[str], str, str]] = [
    (["Jürgen", "Anna", "Lukas", "Sophie", "Maximilian", "Lena", "Jörg", "Katrin", "Felix", "Marie"],
     ["Müller", "Schröder", "Weiß", "Schmidt", "Fischer", "Köhler", "Bäcker", "Hoffmann", "Groß", "Krüger"],
     "DE", "de"),
    (["Søren", "Mette", "Mads", "Freja", "Jørgen"], ["Ødegaard", "Sørensen", "Kjær", "Nielsen", "Møller"],
     "DK", "da"),
    (["Łukasz", "Małgorzata", "Paweł", "Zofia", "Krzysztof"],
     ["Łukasiewicz", "Wójcik", "Kowalczyk", "Zieliński", "Dąbrowska"], "PL", "pl"),
    (["François", "Chloé", "Hélène", "Jérôme", "Amélie"], ["Lefèvre", "Dubois", "Girard", "Benoît", "Mercier"],
     "FR", "fr"),
    (["José", "María", "Iñigo", "Lucía", "Álvaro"], ["García", "Núñez", "Martínez", "Gómez", "Peña"], "ES", "es"),
    (["Björn", "Åsa", "Mårten", "Linnéa", "Göran"], ["Åberg", "Lindström", "Sjögren", "Ekström", "Nyström"],
     "SE", "sv"),
    (["James", "Emily", "Michael", "Sarah", "David", "Olivia", "Daniel", "Grace"],
     ["Smith", "Johnson", "Williams", "Brown", "O'Brien", "Taylor", "Anderson", "Clarke"], "US", "en"),
    (["Oliver", "Charlotte", "Harry", "Amelia"], ["Davies", "Evans", "Wright", "Hughes"], "GB", "en"),
    (["Hiroshi", "Yuki", "Takumi", "Aiko"], ["Satō", "Itō", "Katō", "Yamamoto"], "JP", "ja"),
    (["Jan", "Eva", "Tomáš", "Lenka"], ["Dvořák", "Novák", "Černý", "Procházková"], "CZ", "cs"),
    (["Matteo", "Giulia", "Niccolò", "Chiara"], ["Rossi", "Bianchi", "Galli", "Ferrari"], "IT", "it"),
]

# Countries where overseas Chinese talents live, with a city and time zone.
ABROAD: list[tuple[str, str, str]] = [
    ("US", "Boston", "America/New_York"), ("US", "San Francisco", "America/Los_Angeles"),
    ("DE", "Munich", "Europe/Berlin"), ("DE", "Berlin", "Europe/Berlin"), ("GB", "London", "Europe/London"),
    ("JP", "Tokyo", "Asia/Tokyo"), ("SG", "Singapore", "Asia/Singapore"), ("AU", "Sydney", "Australia/Sydney"),
    ("CA", "Toronto", "America/Toronto"), ("FR", "Paris", "Europe/Paris"), ("KR", "Seoul", "Asia/Seoul"),
    ("NL", "Delft", "Europe/Amsterdam"), ("SE", "Stockholm", "Europe/Stockholm"),
    ("CH", "Zurich", "Europe/Zurich"),
]
CITY_OF: dict[str, tuple[str, str]] = {
    "DE": ("Munich", "Europe/Berlin"), "DK": ("Copenhagen", "Europe/Copenhagen"), "PL": ("Warsaw", "Europe/Warsaw"),
    "FR": ("Paris", "Europe/Paris"), "ES": ("Madrid", "Europe/Madrid"), "SE": ("Stockholm", "Europe/Stockholm"),
    "US": ("Boston", "America/New_York"), "GB": ("London", "Europe/London"), "JP": ("Tokyo", "Asia/Tokyo"),
    "CZ": ("Prague", "Europe/Prague"), "IT": ("Milan", "Europe/Rome"),
}

# (country, national format, international prefix) for mobile numbers: format digits are filled at random.
# National formats keep the trunk 0 where the country uses one, as people write them.
PHONE_PLANS: dict[str, tuple[str, str]] = {
    "CN": ("86", "1{3-9}#########"), "DE": ("49", "15{1-7}########"), "US": ("1", "{2-9}##{2-9}##01##"),
    "GB": ("44", "7{4-9}########"), "JP": ("81", "90########"), "SG": ("65", "{8-9}#######"),
    "AU": ("61", "4########"), "CA": ("1", "{2-9}##{2-9}##01##"), "FR": ("33", "6########"),
    "KR": ("82", "10########"), "NL": ("31", "6########"), "SE": ("46", "70#######"),
    "CH": ("41", "7{5-9}#######"), "DK": ("45", "{2-9}#######"), "PL": ("48", "{5-8}########"),
    "ES": ("34", "6########"), "CZ": ("420", "{6-7}########"), "IT": ("39", "3{1-9}########"),
}
TRUNK_ZERO = {"DE", "GB", "JP", "AU", "FR", "KR", "NL", "SE", "CH", "CN_LANDLINE"}

UNIVERSITIES_ABROAD: list[tuple[str, str, str, str]] = [
    ("慕尼黑工业大学", "Technical University of Munich", "DE", "tum.de"),
    ("柏林工业大学", "Technical University of Berlin", "DE", "tu-berlin.de"),
    ("麻省理工学院", "Massachusetts Institute of Technology", "US", "mit.edu"),
    ("斯坦福大学", "Stanford University", "US", "stanford.edu"),
    ("帝国理工学院", "Imperial College London", "GB", "imperial.ac.uk"),
    ("东京大学", "University of Tokyo", "JP", "u-tokyo.ac.jp"),
    ("新加坡国立大学", "National University of Singapore", "SG", "nus.edu.sg"),
    ("悉尼大学", "University of Sydney", "AU", "sydney.edu.au"),
    ("多伦多大学", "University of Toronto", "CA", "utoronto.ca"),
    ("代尔夫特理工大学", "Delft University of Technology", "NL", "tudelft.nl"),
    ("苏黎世联邦理工学院", "ETH Zurich", "CH", "ethz.ch"),
    ("首尔大学", "Seoul National University", "KR", "snu.ac.kr"),
]
# Fictional Qingdao employers: (Chinese name, English name, kind, district, industry chain, domain)
QINGDAO_ORGS: list[tuple[str, str, str, str, str, str]] = [
    ("青岛蓝海智造科技有限公司", "Qingdao Blue Ocean Smart Manufacturing Co.", "enterprise", "崂山区", "smart_manufacturing", "blueocean-sm.cn"),
    ("青岛深蓝海洋生物医药有限公司", "Qingdao Deep Blue Marine Biopharma Co.", "enterprise", "黄岛区", "biomedicine", "deepblue-bio.cn"),
    ("青岛星图人工智能研究院", "Qingdao Star Map AI Research Institute", "research_institute", "市南区", "ai", "starmap-ai.cn"),
    ("青岛虚境科技有限公司", "Qingdao Virtual Realm Technology Co.", "enterprise", "崂山区", "vr", "virtualrealm.cn"),
    ("青岛芯海集成电路有限公司", "Qingdao Chip Sea IC Co.", "enterprise", "西海岸新区", "integrated_circuits", "chipsea-ic.cn"),
    ("青岛新材料产业园", "Qingdao New Materials Industrial Park", "park", "城阳区", "new_materials", "qdnmp.cn"),
    ("青岛海岸线人力资源服务有限公司", "Qingdao Coastline HR Services Co.", "hr_agency", "市北区", "other", "coastline-hr.cn"),
    ("青岛滨海医院", "Qingdao Binhai Hospital", "hospital", "市南区", "biomedicine", "binhai-hospital.cn"),
    ("青岛海洋工程装备研究所", "Qingdao Institute of Marine Engineering Equipment", "research_institute", "黄岛区", "marine", "qimee.cn"),
    ("青岛云帆智能机器人有限公司", "Qingdao Yunfan Intelligent Robotics Co.", "enterprise", "即墨区", "smart_manufacturing", "yunfan-robot.cn"),
    ("青岛灵犀视觉科技有限公司", "Qingdao Lingxi Vision Technology Co.", "enterprise", "李沧区", "ai", "lingxi-vision.cn"),
    ("青岛澜湾生物科技有限公司", "Qingdao Lanwan Biotech Co.", "enterprise", "崂山区", "biomedicine", "lanwan-bio.cn"),
]
OVERSEAS_COMPANIES: list[tuple[str, str, str]] = [
    ("Nordlicht Robotics GmbH", "DE", "nordlicht-robotics.de"), ("Harborview Therapeutics Inc.", "US", "harborview-tx.com"),
    ("Kestrel AI Ltd.", "GB", "kestrel-ai.co.uk"), ("Sakura Materials K.K.", "JP", "sakura-materials.jp"),
    ("Merlion Marine Pte. Ltd.", "SG", "merlion-marine.sg"), ("Maple Quantum Inc.", "CA", "maplequantum.ca"),
]
ALLIANCE_ORGS: list[tuple[str, str]] = [
    ("青岛海外人才联盟德国分会", "Qingdao Overseas Talent Alliance · Germany Chapter"),
    ("青岛海外人才联盟北美分会", "Qingdao Overseas Talent Alliance · North America Chapter"),
]

FIELDS: list[tuple[str, str]] = [
    ("机器学习", "ai"), ("计算机视觉", "ai"), ("自然语言处理", "ai"), ("增强现实显示", "vr"),
    ("人机交互", "vr"), ("抗体药物", "biomedicine"), ("基因治疗", "biomedicine"), ("医疗器械", "biomedicine"),
    ("工业机器人", "smart_manufacturing"), ("数控系统", "smart_manufacturing"), ("海洋牧场", "marine"),
    ("海洋工程装备", "marine"), ("碳纤维复合材料", "new_materials"), ("石墨烯", "new_materials"),
    ("芯片设计", "integrated_circuits"), ("半导体封装", "integrated_circuits"),
]
TITLES: list[str] = [
    "教授", "副教授", "研究员", "博士后", "首席科学家", "高级工程师", "技术总监", "创始人", "Professor",
    "Associate Professor", "Senior Research Scientist", "Postdoctoral Fellow", "Principal Engineer", "CTO",
    "Founder & CEO", "Research Group Leader",
]
TAGS: list[str] = ["海外高层次", "博士", "回国意向强", "已来青", "创业项目", "联盟推荐", "重点跟进", "家属随迁",
                   "VIP", "PhD", "startup"]

CASE_TITLES: dict[str, list[str]] = {
    "visa_entry": ["办理人才签证（R字签证）", "Invitation letter for R visa", "家属探亲签证咨询"],
    "work_permit": ["外国人工作许可证（A类）申请", "Work permit renewal", "工作许可变更单位"],
    "residence_permit": ["工作类居留许可办理", "Residence permit for spouse and children", "居留许可延期"],
    "talent_certification": ["青岛市高层次人才认定", "Talent tier certification (Class B)", "人才认定材料补正"],
    "housing": ["人才公寓入住申请", "Housing subsidy application", "租房补贴发放进度"],
    "medical": ["高端医疗绿色通道预约", "Health insurance enrolment", "家属就医协调"],
    "children_education": ["子女入读国际学校", "Kindergarten place for daughter", "子女转学手续"],
    "spouse_employment": ["配偶就业推荐", "Spouse job placement at a university hospital", "配偶工作安置协调"],
    "funding": ["创业启动资金申请", "Research start-up grant", "引才补贴拨付"],
    "company_registration": ["科技企业注册落地", "Register a WFOE in the West Coast New Area", "项目入驻园区"],
    "policy": ["人才政策咨询", "Questions on tax incentives for foreign experts", "安家补贴政策解读"],
    "daily_life": ["办理银行卡和手机号", "Driving licence conversion", "生活服务对接"],
    "other": ["其他事项协调", "General enquiry", "材料翻译公证"],
}
RESOLUTIONS: list[str] = ["已办结，证件已领取", "Approved and delivered", "已协调完成，人才满意", "材料齐全，审批通过"]
ACTIVITY_SUMMARIES: dict[str, list[str]] = {
    "call": ["电话沟通来青考察行程", "Call about the housing subsidy timeline", "电话确认材料清单"],
    "video_call": ["视频会议介绍青岛人才政策", "Video call with the lab's team on relocation", "线上面谈落地意向"],
    "meeting": ["与用人单位面谈", "Met at the station to review documents", "座谈会交流项目合作"],
    "email": ["发送人才政策汇编", "Sent the R visa invitation letter draft", "邮件确认面试时间"],
    "wechat": ["微信沟通子女入学材料", "WeChat: shared apartment photos", "微信确认接机信息"],
    "visit": ["走访企业了解用人需求", "Visited the talent apartment with the family", "落地后上门回访"],
    "event_attendance": ["参加海外人才峰会", "Attended the Munich roadshow", "参加线上宣讲会"],
    "note": ["对方希望明年春季回国", "Prefers contact in the evening (Europe)", "配偶为医生，需对接医院"],
}
FOLLOWUP_TITLES: dict[str, list[str]] = {
    "call_back": ["回电确认考察日期", "Call back about the offer"],
    "send_materials": ["发送人才政策材料", "Send the policy brochure"],
    "collect_documents": ["收集学历认证材料", "Collect passport copy and CV"],
    "check_application": ["查询工作许可办理进度", "Check residence permit status"],
    "arrange_visit": ["安排来青考察", "Arrange a visit to the industrial park"],
    "post_landing_checkin": ["落地三个月回访", "Post-landing check-in"],
    "document_expiry": ["居留许可即将到期提醒", "Work permit expires soon"],
    "greeting": ["春节问候", "Mid-Autumn greeting"],
    "other": ["整理档案", "Update the contact record"],
}
EVENTS: list[tuple[str, str, str, str, int]] = [
    ("2026青岛海外人才创新创业峰会", "summit", "Qingdao", "CN", -120),
    ("青岛·慕尼黑人才项目路演", "roadshow", "Munich", "DE", -60),
    ("青岛—波士顿生物医药人才交流会", "exchange_fair", "Boston", "US", -30),
    ("青岛人才政策线上宣讲（英文场）", "webinar", "Qingdao", "CN", -7),
    ("2027海洋经济人才洽谈会", "exchange_fair", "Qingdao", "CN", 21),
    ("青岛·新加坡人工智能人才路演", "roadshow", "Singapore", "SG", 45),
]
STAFF: list[tuple[str, str, str]] = [
    ("wang.li", "王丽", "supervisor"), ("zhao.min", "赵敏", "staff"), ("sun.hao", "孙浩", "staff"),
    ("li.na", "李娜", "staff"), ("chen.yu", "陈宇", "staff"), ("admin", "系统管理员", "admin"),
]
