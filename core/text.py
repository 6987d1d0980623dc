"""Text helpers shared by models and views."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case and strip Vietnamese diacritics so that "ke hoach dau tu" matches "Kế hoạch và Đầu tư".

    NFD splits most marks off their letters; "đ" has no decomposition and is mapped by hand.
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())
