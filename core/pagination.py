from django.core.paginator import InvalidPage, Page, Paginator
from django.utils.translation import gettext as _


def page_or_error(request, items, per_page: int) -> tuple[Page | None, str | None]:
    """The page `?page=` asks for, or None and a Vietnamese message when it is out of range."""
    paginator = Paginator(items, per_page)
    try:
        return paginator.page(request.GET.get("page") or 1), None
    except InvalidPage:
        return None, _("Trang “%(page)s” không tồn tại: danh sách có %(pages)s trang.") % {
            "page": request.GET.get("page"),
            "pages": paginator.num_pages,
        }
