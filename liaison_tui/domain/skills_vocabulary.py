"""The starter skills vocabulary: (English name, Chinese name, industry chain, aliases). The station extends
it (``liaison skill add``); free text typed for a talent or a demand maps to it by any of the names."""

from __future__ import annotations

STARTER: list[tuple[str, str, str | None, tuple[str, ...]]] = [
    # artificial intelligence
    ("Machine learning", "机器学习", "ai", ("ML",)),
    ("Deep learning", "深度学习", "ai", ("DL",)),
    ("Computer vision", "计算机视觉", "ai", ("CV", "图像识别")),
    ("Natural language processing", "自然语言处理", "ai", ("NLP",)),
    ("Large language models", "大语言模型", "ai", ("LLM", "大模型")),
    ("Reinforcement learning", "强化学习", "ai", ("RL",)),
    ("PyTorch", "PyTorch", "ai", ()),
    ("Recommender systems", "推荐系统", "ai", ()),
    ("Speech recognition", "语音识别", "ai", ("ASR",)),
    ("Data engineering", "数据工程", "ai", ()),
    ("Python", "Python", None, ()),
    ("C++", "C++", None, ("cpp",)),
    ("Rust", "Rust", None, ()),
    # virtual reality
    ("Unity", "Unity 引擎", "vr", ("Unity3D",)),
    ("Unreal Engine", "虚幻引擎", "vr", ("UE5",)),
    ("3D graphics", "三维图形学", "vr", ("computer graphics", "图形学")),
    ("Optical display", "光学显示", "vr", ("near-eye display", "近眼显示")),
    ("Human-computer interaction", "人机交互", "vr", ("HCI",)),
    ("SLAM", "同步定位与建图", "vr", ()),
    # biomedicine
    ("Antibody engineering", "抗体工程", "biomedicine", ("antibody drugs", "抗体药物")),
    ("Gene therapy", "基因治疗", "biomedicine", ()),
    ("Cell therapy", "细胞治疗", "biomedicine", ("CAR-T",)),
    ("Clinical trials", "临床试验", "biomedicine", ("clinical research", "临床研究")),
    ("Medical devices", "医疗器械", "biomedicine", ()),
    ("Bioinformatics", "生物信息学", "biomedicine", ()),
    ("Drug regulatory affairs", "药品注册", "biomedicine", ("regulatory affairs", "注册申报")),
    ("Marine drugs", "海洋药物", "biomedicine", ()),
    # smart manufacturing
    ("Industrial robotics", "工业机器人", "smart_manufacturing", ("robotics", "机器人")),
    ("CNC systems", "数控系统", "smart_manufacturing", ("CNC",)),
    ("PLC programming", "PLC 编程", "smart_manufacturing", ("PLC",)),
    ("Motion control", "运动控制", "smart_manufacturing", ()),
    ("Industrial internet", "工业互联网", "smart_manufacturing", ("IIoT",)),
    ("Machine vision inspection", "机器视觉检测", "smart_manufacturing", ()),
    ("Lean manufacturing", "精益生产", "smart_manufacturing", ()),
    # marine economy
    ("Marine engineering equipment", "海洋工程装备", "marine", ("offshore engineering", "海工装备")),
    ("Marine ranching", "海洋牧场", "marine", ()),
    ("Underwater acoustics", "水声技术", "marine", ()),
    ("Ship design", "船舶设计", "marine", ("naval architecture",)),
    ("Ocean observation", "海洋观测", "marine", ()),
    ("Aquaculture", "水产养殖", "marine", ()),
    # new materials
    ("Carbon fibre composites", "碳纤维复合材料", "new_materials", ("CFRP", "carbon fiber")),
    ("Graphene", "石墨烯", "new_materials", ()),
    ("Polymer chemistry", "高分子化学", "new_materials", ("polymers", "高分子")),
    ("Materials characterisation", "材料表征", "new_materials", ("materials characterization",)),
    ("Battery materials", "电池材料", "new_materials", ("lithium battery", "锂电池")),
    ("Coatings", "涂层材料", "new_materials", ()),
    # integrated circuits
    ("Chip design", "芯片设计", "integrated_circuits", ("IC design", "集成电路设计")),
    ("Analog circuit design", "模拟电路设计", "integrated_circuits", ("analog IC",)),
    ("Digital verification", "数字验证", "integrated_circuits", ("IC verification", "UVM")),
    ("Semiconductor packaging", "半导体封装", "integrated_circuits", ("packaging", "封装测试")),
    ("EDA tools", "EDA 工具", "integrated_circuits", ("EDA",)),
    ("Semiconductor process", "半导体工艺", "integrated_circuits", ("process integration", "工艺整合")),
    ("FPGA", "FPGA", "integrated_circuits", ()),
    # across chains
    ("Project management", "项目管理", None, ("PMP",)),
    ("Technology transfer", "技术转移", None, ("tech transfer", "成果转化")),
    ("Team leadership", "团队管理", None, ("management",)),
    ("Patent drafting", "专利撰写", None, ("patents", "知识产权")),
]
