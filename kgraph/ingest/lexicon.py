"""Small word lists the rule-based extractor reads news prose with (written for kgraph, English only)."""

from __future__ import annotations

import re

#: Headwinds by the phrases that name them; the first name is tried against the graph, then the others.
HEADWINDS: dict[str, tuple[str, ...]] = {
    r"chip war|tech war": ("chip war",),
    r"trade war|trade tensions": ("trade war",),
    r"export (?:controls?|curbs?|restrictions?|bans?)|chip (?:curbs?|controls|restrictions)|(?:restrictions|curbs|"
    r"controls|limits) on (?:chip |technology )?exports?|(?:further |new |tighter )curbs|export (?:rules|licen[cs]es?|"
    r"licen[cs]e requirements?)|licen[cs]e requirements?|licen[cs]es? to (?:export|sell|ship)|"
    r"(?:curbs|restrictions|controls|limits|bans?) on (?:the )?"
    r"(?:sales?|exports?|shipments?) of (?:[\w-]+ ){0,3}?(?:chips?|semiconductors?|processors?|gpus?|equipment|"
    r"technology|machines)": ("export controls",),
    r"sanctions?|entity list|blacklist(?:ed|ing)?": ("sanctions",),
    r"(?:rising |high |soaring )?inflation": ("rising inflation", "inflation"),
    r"(?:a |the )?(?:potential |looming |global |possible )?recession": ("potential recession", "recession"),
    r"(?:rising |higher )?interest rates": ("rising interest rates", "interest rates"),
    r"tariffs?": ("tariffs",),
    r"(?:chip|gpu|semiconductor) shortages?": ("chip shortage",),
    r"(?:regulatory )?crackdown": ("regulatory crackdown",),
    r"(?:chip|memory|memory chip|semiconductor) (?:glut|oversupply)|oversupply of (?:memory )?chips": ("chip glut",),
    r"economic (?:downturn|slowdown)|downturn": ("economic downturn",),
    r"(?:uncertain|weak|weakening|slowing|unpredictable) economy|economic uncertainty": ("uncertain economy",),
}
HEADWIND_PATTERN = re.compile(
    r"(?P<modifier>\b(?:US|U\.S\.|American|Chinese|EU|Western|US-China|US–China|Sino-US)\s+)?\b(?P<phrase>"
    + "|".join(f"(?:{p})" for p in HEADWINDS)
    + r")\b",
    re.IGNORECASE,
)
#: Words that say a headwind acts on something.
IMPACT_CUES = re.compile(
    r"\b(weigh\w*|hit|hits|hitting|hurt\w*|restrict\w*|limit\w*|curb\w*|pressur\w*|amid|fears?|headwinds?|harder|"
    r"stall\w*|follow\w*|block\w*|ban\w*|affect\w*|squeez\w*|impact\w*|on|facing|faces|placed|added|blamed|"
    r"warned|threat\w*|constrain\w*|despite|due to|because of|under|even though|drag\w*|need\w*|requir\w*|"
    r"permission|amid|in the red|fall\w*|fell|cut|cuts|cit(?:ing|ed|es)|as a result of|owing to)\b",
    re.IGNORECASE,
)
#: Words that mark a governing body (the one imposing a headwind, not the one it hits).
GOVERNMENT_WORDS = {
    "department", "ministry", "commission", "administration", "government", "bureau", "congress", "senate",
    "white", "house", "treasury", "regulator", "regulators", "council", "parliament", "washington", "beijing",
    "embassy", "consulate", "agency", "pentagon", "cabinet",
}  # fmt: skip

LAUNCH = re.compile(
    r"\b(launch(?:ed|es|ing)?|unveil(?:ed|s|ing)?|releas(?:ed|es|ing)|introduc(?:ed|es|ing)|rolled out|rolls out|"
    r"rolling out|debut(?:ed|s)?|showcas(?:ed|es)|announced the launch of|went live|"
    r"made (?:[\w-]+ ){0,4}?available|presented|"
    r"put out|puts out|brought out|show(?:ed|s)? off|opened (?:[\w-]+ ){0,4}?to the public|open-sourced|came out|"
    r"published)\b",
    re.IGNORECASE,
)
#: Words that may stand between a cutting verb and the staff it cuts ("shed about 6% of its global workforce").
_STAFF_FILLER = (
    r"(?:about|around|roughly|nearly|some|more|than|over|up|to|approximately|another|an|additional|its|their|the|"
    r"company['’]s|of|global|total|entire|full-time|corporate|salaried|thousands|hundreds|a|third|quarter|tenth|"
    r"fifth|half|per|cent|percent|[\d,.]+%?)"
)
LAYOFF = re.compile(
    r"\b(lay(?:ing|s)? off|laid off|let(?:ting)? go of|layoffs?|job cuts?|job losses|redundanc\w+|"
    r"(?:cut|cuts|cutting|slash\w*|shed\w*|eliminat\w*|reduc\w*|trim\w*|ax(?:e|es|ed|ing))\s+(?:"
    + _STAFF_FILLER
    + r"\s+){0,7}?(?:jobs|staff|employees|workers|positions|roles|headcount|workforce|personnel)|"
    r"(?:lose|lost|losing) their jobs|the cuts|staff cuts|workforce reduction|reduced by)\b",
    re.IGNORECASE,
)
ESTIMATE_CUES = re.compile(r"\b(estimat\w*|according to|people familiar|reportedly|sources? said|said to be)\b", re.I)
REPEAT_CUES = re.compile(r"\b(another round|second round|third round|new round|fresh round|latest round)\b", re.I)
#: Words that make what follows a plan, a guess or a denial rather than a fact.
HEDGES = re.compile(
    r"\b(?:plans? to|planning to|intends? to|intending to|aims? to|hopes? to|(?:is|are) expected to|would like to|"
    r"(?:is|are) considering|in talks to|(?-i:could|may|might)|denied|denies|did not|does not|has not|no plans to|"
    r"will not|won't|unlikely to|reportedly)\b",
    re.IGNORECASE,
)
#: A claim told by people the article does not name ("some observers have said", "analysts reckon"): hearsay.
UNNAMED_SOURCES = re.compile(
    r"\b(?:(?:some|many|several|other|industry|unnamed)\s+)?(?:observers|analysts|critics|experts|commentators|"
    r"users|reviewers|people familiar with[\w\s]{0,20}?|sources)\s+(?:have\s+|had\s+)?(?:said|say|says|argued|argue|"
    r"believe|believed|reckon|reckoned|suggested|suggest|claimed|claim|noted|note)\b|\baccording to (?:some )?"
    r"(?:analysts|observers|critics|experts|people|sources)\b",
    re.IGNORECASE,
)
#: A company speaking for itself. "The statement said" only attributes a claim: it is no statement of its own.
STATEMENT = re.compile(
    r"\b((?:said |says )?in (?:a|an|its) (?:[\w-]+ )?(?:statement|filing|press release|blog post|post)|"
    r"(?:put out|issued|released|published) a statement|spokes(?:person|man|woman))\b",
    re.IGNORECASE,
)
#: No word at all: "declined to comment", "did not respond to a request for comment", "could not be reached".
NO_COMMENT = re.compile(
    r"\b(?:declined|declines|refused|refuses) to (?:comment|elaborate)|(?:did not|didn't|does not) "
    r"(?:immediately )?(?:respond|reply|comment|answer)|could not (?:immediately )?be reached|(?:had|has) no "
    r"(?:immediate )?comment|(?:not|nor) (?:\w+ ){0,3}?commented",
    re.IGNORECASE,
)
#: A company answering for itself: a denial, a reply to a question, its view of what hit it.
RESPONSE = re.compile(
    r"\b((?i:asked about|for its part|in response to|responded|denied|denies|rejects|rejected|dismissed|insisted|"
    r"(?<!as )(?:firmly |strongly )?oppos(?:es|ed)|condemn(?:s|ed)|criticis(?:es|ed)|criticiz(?:es|ed)|protested)|"
    r"told (?:[A-Z][\w.]*\s?){1,3}(?:that\b|(?=(?:the|it|its|this|they|there)\b))|"
    r"(?i:said (?:that )?it (?:did not|does not|had not|has not|didn't|doesn't|"
    r"had no|has no|was not|is not))|(?i:(?:said|says|called|described)\b(?=[^.;]{0,80}\b(?:incorrect|wrong|"
    r"mistaken|a mistake|false|groundless|unfounded|baseless|misleading|inaccurate|untrue|an error|unfair|unjust|"
    r"discriminatory|unreasonable|an abuse|bullying|politically motivated)\b)))\b",
)
#: Last words of a news outlet's name ("Shanghai Daily", "Financial Times").
OUTLET_WORDS = {"daily", "times", "news", "post", "journal", "herald", "weekly", "tribune", "gazette", "reuters"}
#: News organisations: the one reporting is not the one speaking or the one affected.
NEWS_OUTLETS = {
    "reuters", "bloomberg", "cnbc", "cnn", "bbc", "forbes", "associated press", "ap", "afp", "xinhua", "caixin",
    "wall street journal", "financial times", "new york times", "the information", "techcrunch", "the verge",
    "south china morning post", "scmp", "nikkei", "nikkei asia", "yicai", "36kr", "pandaily", "technode",
    "bloomberg news", "wsj", "ft", "guardian", "economist", "axios", "semafor", "wired",
}  # fmt: skip
IN_RESPONSE_TO_LAYOFFS = re.compile(
    r"\b(in response to|responding to|commenting on) the (layoffs|job cuts|cuts)\b", re.I
)
COMPETITION = re.compile(
    r"\b(compet(?:es|e|ing) (?:with|against)|go(?:es|ing)? head[ -]to[ -]head with|(?:can |could )?match(?:es)?|"
    r"on a par with|on par with|(?:fallen|fall|falls|falling|lag\w*) behind|(?:get|gets|got|pull\w*|stay\w*|keep\w*) "
    r"ahead of|takes? aim at|taking aim at|(?:rivals|competitors|challengers|alternatives|answers) to|"
    r"(?:perform(?:s|ed)?|scor(?:es|ed)) better than(?: both)?|edges? past|outperform(?:s|ed|ing)?|surpass(?:es|ed)?|"
    r"overtak(?:e|es|en)|overtook|drawn level with|as capable as|(?:one of|among) \w+['’]s (?:\w+ ){0,2}?"
    r"(?:rivals|competitors|challengers)|rivals?\b(?! to)|(?:a |an |the )?(?:\w+ )?(?:rival|competitor|challenger|"
    r"alternative|answer) (?:to|of)|challenge to|to take on|takes on|taking on|goes up against|vies with|vying with|"
    r"(?:joins|joined) (?=.*\b(?:race|battle|fight|contest)\b)|(?:price war|battle|war|(?<!the )competition|rivalry) "
    r"with|catch(?:ing)? up (?:with|to)|(?:faces|facing|face|faced) (?:\w+ )?(?:competition|rivalry|pressure) from|"
    r"outperform(?:s|ed)?|beats?(?! (?:Wall Street|analysts|the market|market|expectations|forecasts|estimates)))",
    re.IGNORECASE,
)
RACE_AMONG = re.compile(r"\b(?:race|battle|competition|rivalry) (?:among|between)\b", re.IGNORECASE)
PARTNERSHIP = re.compile(
    r"\b(partner(?:ed|s|ing)? with|work(?:s|ed|ing)? (?:together )?with|(?:a |strategic )?partnership with|"
    r"teams? up with|teamed up with|"
    r"(?:an )?alliance with|collaborat(?:e|es|ed|ing|ion) with|(?:signed|struck|agreed|reached|inked) (?:a |an )?"
    r"(?:[\w-]+ ){0,2}?(?:deal|agreement|pact) with|joint venture with)\b",
    re.IGNORECASE,
)
PARTNERSHIP_BETWEEN = re.compile(
    r"\b((?:partnership|alliance|collaboration|deal) between|said in a joint (?:announcement|statement))\b", re.I
)
FUNDING = re.compile(
    r"\b(rais(?:ed|es|ing)|secur(?:ed|es)|clos(?:ed|es) (?:a|its)|funding round|financing round|funding|financing|"
    r"investment in|invest(?:s|ed|ing)?\b)",
    re.IGNORECASE,
)
INVESTORS_CUE = re.compile(
    r"\b(led by|(?<!which is )(?<!which was )backed by|(?:investors|backers) (?:in the round )?(?:included|including|"
    r"include)|from investors including|"
    r"(?:also )?(?:took|take|takes|taking) part|participat\w+|with participation from|joined the round|as did|"
    r"(?:both |also )?(?:signed up|agreed|committed) to invest|(?:were|are) among (?:[\w-]+ ){0,5}?that put money in|"
    r"led the (?:round|financing|investment|deal))\b",
    re.IGNORECASE,
)
VALUATION = re.compile(r"\b(valu(?:es|ed|ing)\b[^.;]*?\bat|valuation of|post-money|pre-money)\b", re.IGNORECASE)
ROUND = re.compile(
    r"\b(Series [A-H]\d?(?:\+)?|seed round|angel round|pre-IPO round|strategic round|Pre-[A-H] round)\b", re.I
)
METRICS = [
    ("adjusted_net_income", re.compile(r"\badjusted net (?:loss|profit|income|earnings)\b", re.I)),
    ("operating_income", re.compile(r"\boperating (?:loss|profit|income)\b", re.I)),
    ("gross_profit", re.compile(r"\bgross profit\b", re.I)),
    (
        "net_income",
        re.compile(
            r"\b(?:net (?:loss|profit|income|earnings)|(?<!a )profit|loss of|(?:the|its|\w+['’]s?) (?:net )?loss|"
            r"earned(?: a net)?|"
            r"lost(?= (?:about |around |some |nearly |more than )?\S*\d)"
            r"(?![^,;]{0,40}\b(?:market value|in value|of (?:its )?(?:stock-)?market)))\b",
            re.I,
        ),
    ),
    ("revenue", re.compile(r"\b(?:revenues?|sales|turnover|took in|generated)\b", re.I)),
]
LOSS_WORDS = re.compile(r"\b(?:loss|lost)\b", re.IGNORECASE)
#: Words before a profit figure that make it an adjusted one ("excluding non-recurring items, net income...").
ADJUSTED_CUES = re.compile(
    r"\b(?:excluding|stripping out|adjusted for|before|leaving out) (?:[\w-]+ ){0,2}?(?:items|charges|costs|gains)\b",
    re.IGNORECASE,
)

#: Pronoun-like phrases that stand for the company the article is about.
COMPANY_REFERENCES = re.compile(
    r"^(?:[\w ]{0,30}, |(?:in|on|since|during|by|earlier|later|last|this) [\w-]+(?: [\w-]+)? )?"
    r"(?:in that field |for its part |in response |since then )?(it|its|"
    r"the (?:[\w-]+ ){0,2}?(?:company|firm|group|start-up|startup|giant|chipmaker|chip designer|unicorn|business|"
    r"lab|maker|developer|operator|conglomerate))\b(?!\s+[A-Z0-9])",
    re.IGNORECASE,
)
PRODUCT_REFERENCES = re.compile(r"\b(the (?:new )?(?:model|chatbot|assistant|product|system|llm)|it|the tool)\b", re.I)
INDUSTRY_REFERENCES = re.compile(r"\b(the sector|the industry|the market)\b", re.IGNORECASE)

#: Capitalised words that do not start a name.
STOP_WORDS = {
    "the", "a", "an", "in", "on", "at", "as", "it", "its", "this", "that", "these", "those", "other", "others", "but",
    "and", "or", "for", "with", "by", "from", "after", "before", "while", "when", "since", "according", "shares",
    "share", "chief", "executive", "ceo", "cfo", "cto", "founder", "chairman", "president", "analysts", "analyst",
    "investors", "some", "one", "two", "three", "many", "several", "both", "all", "last", "next", "new", "earlier",
    "also", "however", "meanwhile", "still", "yet", "so", "if", "then", "there", "their", "they", "he", "she", "we",
    "his", "her", "our", "series", "round", "sources", "people", "reportedly", "currently", "compared", "mr",
    "ms", "dr",
    "us", "u.s", "uk", "eu", "china", "chinese", "american", "european", "japanese", "korean",
    "beijing", "shanghai", "shenzhen", "hangzhou", "hefei", "hong", "kong", "taiwan", "japan", "korea", "india",
    "europe", "asia", "america", "united", "states", "silicon", "valley", "washington", "california", "singapore",
    "london", "paris", "tokyo", "seoul", "ai", "llm", "llms", "gpu", "gpus", "ipo", "n", "q1", "q2", "q3", "q4", "fy",
    "global", "local", "western", "year", "quarter", "company", "group", "firm", "start-up", "startup", "news",
    "report", "statement", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "ascend",
    "sino-us", "us-china", "us–china", "chips", "entity", "list", "south", "north", "east", "west",
    "dutch", "french", "german", "british", "indian", "taiwanese", "emirati", "russian", "israeli", "swiss",
    "netherlands", "hague", "france", "germany", "britain", "russia", "iran", "israel", "abu", "dhabi", "uae",
    "gulf", "dubai", "europe's", "china's", "vietnam", "thailand", "malaysia", "indonesia", "mexico", "canada",
    "brazil", "italy", "spain", "australia", "saudi", "arabia", "qatar", "africa", "latin", "asian", "african",
    "canadian", "mexican", "vietnamese", "australian", "italian", "spanish", "brazilian", "singaporean",
    "more", "most", "less", "few", "such", "what", "how", "why", "whether", "here", "each", "every", "any", "no",
    "not", "nor", "neither", "either", "only", "even", "just", "much", "over", "under", "about", "around", "because",
    "although", "though", "despite", "unlike", "like", "once", "instead", "asked", "speaking", "thanks", "until",
} | {m.lower() for m in (
    "January February March April May June July August September October November December Jan Feb Mar Apr Jun Jul "
    "Aug Sep Sept Oct Nov Dec"
).split()}  # fmt: skip
#: Places that may begin a company's name ("China Mobile"), unlike nationality words.
PLACES = {"china", "us", "u.s", "beijing", "shanghai", "shenzhen", "hangzhou", "hong", "taiwan", "japan", "korea"}
#: Ordinary words that often open sentences (never names on their own).
COMMON_WORDS = {
    "net", "revenue", "sales", "shares", "investors", "sanctions", "profit", "the", "a", "an", "in", "on", "it", "its",
    "as", "but", "and", "other", "chief", "company", "companies", "analysts", "this", "that", "some", "tech", "layoffs",
}  # fmt: skip
#: Words before a name that make it a person's.
PERSON_TITLES = re.compile(
    r"\b(chief executive|chief executive officer|ceo|cfo|cto|founder|co-founder|chairman|chairwoman|president|"
    r"analyst|director|head|spokesperson|spokesman|spokeswoman|mr\.?|ms\.?|dr\.?|professor)\s*$",
    re.IGNORECASE,
)
#: Trailing words of a company name (and legal suffixes): a name ending in one is a company.
COMPANY_WORDS = {
    "ai", "intelligence", "technology", "technologies", "tech", "labs", "lab", "group", "inc", "inc.", "ltd", "ltd.",
    "co", "co.", "corp", "corp.", "corporation", "holdings", "robotics", "networks", "systems", "semiconductor",
    "semiconductors", "software", "capital", "ventures", "partners", "cloud", "platforms", "electronics", "motors",
    "limited", "plc", "llc", "gmbh", "ag", "sa", "investments", "fund", "bank", "securities", "deepmind",
}  # fmt: skip
#: Words that, after a company's name, name one of its units ("Alibaba Cloud", "JD Health", "Google DeepMind").
UNIT_WORDS = {
    "cloud", "health", "music", "pay", "finance", "logistics", "auto", "capital", "ventures", "games", "maps",
    "deepmind", "research", "intelligence", "assistant",
}  # fmt: skip
#: Trailing words of an event's name (never a product or a company).
EVENT_WORDS = {"summit", "conference", "forum", "expo", "festival", "congress", "fair", "awards", "week", "olympics"}
ORGANIZATION_WORDS = {
    "department", "ministry", "commission", "administration", "government", "bureau", "university", "institute",
    "academy", "agency", "council", "association", "foundation", "embassy", "consulate",
}  # fmt: skip
PRODUCT_NOUNS = re.compile(
    r"^\s*(?:,\s*)?(?:(?:the|a|an|its|their)\s+)?(?:(?:new|newest|latest|large|open-source|flagship|most|capable|"
    r"powerful|advanced|generative|ai|multimodal|next-generation)\s+)*(large language models?|language models?|"
    r"models?|llms?|chatbots?|assistants?|apps?|platforms?|chips?|processors?|gpus?|family|series|features?|"
    r"services?)\b",
    re.IGNORECASE,
)
#: The nouns that say what kind of product a name is ("the Ernie large language model", "its X chatbot").
PRODUCT_KIND = (
    r"(?:large language model|language model|foundation model|model|llm|chatbot|assistant|app|application|system|"
    r"tool|platform|chip|processor|gpu|engine|software|service|family|series)s?"
)
#: The nouns that make a name an AI model's ("its Qwen 2.5 model", "Ernie, Baidu's chatbot").
AI_KIND = r"(?:large language model|language model|foundation model|model|llm|chatbot|assistant|family|series|system)s?"
LLM_CUES = re.compile(r"\b(language model|llm|foundation model|\bmodel\b|gpt|reasoning)", re.IGNORECASE)
CHATBOT_CUES = re.compile(r"\b(chatbot|assistant|app|copilot)\b", re.IGNORECASE)
INDUSTRIES = re.compile(
    r"\b(?:(?:global|chinese|us|american|worldwide|the) )*(?P<name>(?:ai|artificial intelligence|semiconductor|chip|"
    r"cloud|autonomous driving|robotics|smartphone|tech(?:nology)?) (?:industry|sector))\b",
    re.IGNORECASE,
)
