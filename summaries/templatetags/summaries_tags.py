from django import template

from summaries import report

register = template.Library()


@register.filter
def dmy(value) -> str:
    """An ISO date (as stored in a summary) or a date → dd/mm/yyyy."""
    return report.vn_date(value)


@register.filter
def vn_int(value) -> str:
    return report.vn_int(value)


@register.filter
def vn_rate(value) -> str:
    return report.vn_rate(value)


@register.filter
def svg(value) -> str:
    """A coordinate for SVG: a dot for decimals whatever the page's language."""
    return f"{float(value):.1f}"


@register.filter
def list_figure(value: report.Report, name: str):
    return value.list_figure(name)
