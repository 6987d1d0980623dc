"""Words of Vietnamese administrative writing the rules rely on, folded (no diacritics, lower case).

These are word classes of the language, not sentences of particular documents: the verbs a duty starts
with, the titles before an agency, the head nouns of an organisation, the words that open a sentence
without a subject of its own.
"""

import re

E = r"(?![a-z0-9])"


def alternation(words: str) -> str:
    """'a b|c' → a regex alternation, longest first, spaces as \\s+."""
    items = sorted({w.strip() for w in words.split("|") if w.strip()}, key=len, reverse=True)
    return "(?:" + "|".join(r"\s+".join(map(re.escape, w.split())) for w in items) + ")" + E


# Verbs (and adverbs that stand for them) a duty starts with.
VERBS = alternation(
    "tiep tuc|tang cuong|day manh|day nhanh|thuc hien|trien khai|to chuc|xay dung|nang cao|tap trung|chu dong|"
    "ra soat|kiem tra|theo doi|phoi hop|hoan thanh|hoan thien|ban hanh|tham muu|de xuat|nghien cuu|quan triet|"
    "khan truong|chi dao|don doc|huong dan|phat huy|phat trien|doi moi|cai thien|thuc day|huy dong|bao dam|"
    "dam bao|duy tri|cung co|kiem soat|quan ly|uu tien|tao|khuyen khich|mo rong|ho tro|van dong|tuyen truyen|"
    "giai quyet|xu ly|bo tri|kip thoi|thuong xuyen|bao cao|tong hop|gui|lap|trinh|tham dinh|cap nhat|danh gia|"
    "so ket|tong ket|khac phuc|siet chat|nam chac|nam bat|giu vung|bao ve|ngan chan|ngan ngua|phong ngua|"
    "moi goi|thu hut|chu trong|quan tam|phan dau|tich cuc|cu|giao|yeu cau|de nghi|tranh thu|ket hop|lien ket|"
    "thanh lap|sap xep|kien toan|cai cach|ung dung|chuyen doi|dau tu|giai ngan|thanh toan|quyet toan|"
    "cat giam|thuc hanh|tiet kiem|phuc hoi|on dinh|hien dai hoa|so hoa|cong khai|tiep nhan|tiep xuc|"
    "doi thoai|ket noi|chia se|cung cap|cung ung|dap ung|dua|khoi cong|nghiem thu|ban giao|tham gia|"
    "kien quyet|nghiem tuc|nghiem tri|tuan thu|chap hanh|ra quyet dinh|lam tot|lam ro|xac dinh|"
    "khao sat|thong ke|kiem ke|do dac|cap giay|cap phep|thu hoi|dinh chi|xu phat|thanh tra|giam sat|"
    "vuot|nhan rong|da dang hoa|hoan tat|chuan bi|du bao|canh bao|ung pho|khac phuc|giam|tang|"
    "hoc tap|boi duong|dao tao|tuyen dung|rut kinh nghiem|sua doi|bo sung|dieu chinh|phe duyet|"
    "chiu trach nhiem|co trach nhiem|chu tri|lanh dao|dieu hanh|phan bo|phan khai|xuat khau|"
    "quang ba|xuc tien|bam sat|soat xet|can doi|mua sam|di doi|thao go|day lui|xoa|ho tro"
)
VERB = re.compile(VERBS)
# Words that end the name of an organisation the gazetteer does not know: who does what starts here. Kept
# short: "đầu tư", "quản lý", "xây dựng" also occur inside names ("cơ quan quản lý đầu tư công").
PREDICATE = re.compile(
    alternation(
        "chu tri|phoi hop|co trach nhiem|chiu trach nhiem|theo chuc nang|can cu|trong pham vi|duoc giao|la|"
        "thuc hien|khan truong|tap trung|tiep tuc|chu dong|nghien cuu|trien khai|tham muu|bao cao|tong hop|"
        "huong dan|kiem tra|theo doi|don doc|ra soat|nang cao|tang cuong|day manh|to chuc thuc hien|gui"
    )
)
# Roles that mark the lead when they follow the subject.
STRONG_PREDICATE = re.compile(
    alternation("chu tri|phoi hop|co trach nhiem|chiu trach nhiem|theo chuc nang|can cu|trong pham vi")
    + r"|\s*:"
)
TITLES = re.compile(
    alternation(
        "thu truong|giam doc|chu tich|pho chu tich|chanh|truong ban|cuc truong|chi cuc truong|lanh dao|"
        "nguoi dung dau|dong chi|tong giam doc|pho giam doc|bi thu"
    )
    + r"\s*"
)
# Head nouns of an organisation the gazetteer may not know ("Kho bạc Nhà nước tỉnh chủ trì …").
ORG_HEAD = re.compile(
    r"(?:cac\s+)?"
    + alternation(
        "so|ban|co quan|don vi|trung tam|cuc|chi cuc|kho bac|ngan hang|cong an|bo chi huy|vien|toa an|"
        "lien doan|doan|uy ban|ubnd|cong ty|tong cong ty|benh vien|ban quan ly|bql|to chuc|"
        "lien minh|quy|phong|bo|nganh|mat tran|chi nhanh|tinh doan|hoi dong|bao [a-z]+ [a-z]+|dai phat thanh|"
        "truong dai hoc|truong cao dang|hoi"
    )
    # "báo cáo", "đại hội", "hội nghị" are not organisations
    + r"(?<!bao cao)(?<!hoi nghi)(?<!hoi thao)"
)
# Openers of a sentence that has no subject of its own: it keeps the subject before it.
DISCOURSE = re.compile(
    r"\s*(?:"
    + alternation(
        "dong thoi|ben canh do|ngoai ra|trong do|mat khac|tiep theo|cuoi cung|sau do|truoc mat|"
        "thu nhat|thu hai|thu ba|thu tu|thu nam|thu sau|thu bay|thu tam|thu chin|thu muoi"
    )
    + r")\s*[,:]?\s*"
)
# "Giao X …", "Yêu cầu X …", "Đề nghị X …": X leads.
INTRODUCER = re.compile(alternation("giao cho|giao|yeu cau|de nghi|phan cong") + r"\s*:?\s*")
# The boilerplate execution clause: who carries out the directive, not a task of its own.
EXECUTION = re.compile(
    r"(?:chiu trach nhiem|to chuc)\s+(?:thi hanh|thuc hien)\s+(?:chi thi|quyet dinh|ke hoach|cong van|"
    r"thong bao|van ban|chuong trinh)\s+nay"
)
# The closing formulas of a document: they ask everyone to carry it out, they assign nothing of their own.
CLOSING = re.compile(
    r"^\s*(?:nhan\s+duoc\s+(?:cong\s+van|van\s+ban|chi\s+thi|thong\s+bao)\s+nay"
    r"|[^.]{0,80}?thong\s+bao\s+(?:de|cho)\s+[^.]{0,80}?biet"
    r"|trong\s+qua\s+trinh\s+(?:to\s+chuc\s+)?thuc\s+hien\s*,\s*neu\s+co"
    # "Yêu cầu thủ trưởng các cơ quan, đơn vị triển khai thực hiện./.": carrying out the letter, no duty.
    r"|(?:yeu\s+cau|de\s+nghi)\s+[^.]{0,120}?(?:trien\s+khai|to\s+chuc)\s+thuc\s+hien"
    r"(?:\s+nghiem(?:\s+tuc)?)?\s*[./]*\s*$)"
)
