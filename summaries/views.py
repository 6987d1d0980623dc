"""Summaries pages: the list (pick the kind and period, produce one), a summary with its change and
charts, the drill-down behind every number, and the XLSX and PDF exports. Everyone signed in reads
(docs/domain.md, "Who uses it"); only the office produces (tracking.permissions, PRODUCE_SUMMARY)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.dates import format_day
from core.forms import form_errors
from core.http import HtmxHttpRequest
from core.pagination import page_or_error
from directives.models import Assignment
from tracking.permissions import Action, can, require

from . import charts, columns, pdf, xlsx
from .forms import AgainForm, ProduceForm, SummaryFilterForm
from .models import Summary
from .periods import last_cutoff
from .report import Report, drill_ids, drill_title
from .services import SummaryConflict, SummaryError, current_summary, produce_summary

LIST_TEMPLATE = "summaries/summary_list.html"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _summary(pk: int, *fields: str) -> Summary:
    """The summary with the JSON columns named (`data`, `drill`); the others are not loaded."""
    deferred = [name for name in ("data", "drill") if name not in fields]
    return get_object_or_404(Summary.objects.select_related("produced_by").defer(*deferred), pk=pk)


def _list_context(request: HtmxHttpRequest, form, produce_form=None) -> dict:
    may_produce = can(request.user, Action.PRODUCE_SUMMARY)
    if may_produce and produce_form is None:
        produce_form = ProduceForm(initial={"cut_off": format_day(last_cutoff(timezone.localdate()))})
    return {
        "form": form,
        "produce_form": produce_form if may_produce else None,
        "years": [d.year for d in Summary.objects.dates("cut_off", "year", order="DESC")],
    }


def _list_page(request: HtmxHttpRequest, form) -> tuple[dict, int]:
    """The produced summaries for the filter, one page of them."""
    if form.is_bound and not form.is_valid():
        return {"errors": form_errors(form)}, 400
    summaries = form.filter(Summary.objects.defer("data", "drill").select_related("produced_by"))
    page, error = page_or_error(
        request, summaries.order_by("-cut_off", "kind", "-version"), settings.PAGE_SIZE
    )
    if error:
        return {"errors": [error]}, 400
    return {"page": page}, 200


@require_GET
@login_required
def summary_list(request: HtmxHttpRequest):
    form = SummaryFilterForm(request.GET or None)
    page_context, status = _list_page(request, form)
    if request.htmx:
        return render(
            request, f"{LIST_TEMPLATE}#summary-table", {"form": form, **page_context}, status=status
        )
    context = _list_context(request, form) | page_context
    return render(request, LIST_TEMPLATE, context, status=status)


@require_POST
@login_required
def summary_produce(request: HtmxHttpRequest):
    """The office produces a summary for any past cut-off ("Lập báo cáo")."""
    require(request.user, Action.PRODUCE_SUMMARY)
    produce_form = ProduceForm(request.POST)
    errors = []
    if produce_form.is_valid():
        kind, cut_off = produce_form.cleaned_data["kind"], produce_form.cleaned_data["cut_off"]
        existing = current_summary(kind, cut_off)
        if existing is not None:
            messages.info(
                request,
                _("Báo cáo này đã được lập (lần %(n)s). Muốn lập phiên bản mới, dùng “Lập lại”.")
                % {"n": existing.version},
            )
            return redirect(existing)
        try:
            summary = produce_summary(kind, cut_off, actor=request.user)
        except SummaryError as error:
            errors = error.messages
        else:
            messages.success(request, _("Đã lập báo cáo %(label)s.") % {"label": summary.data["label"]})
            return redirect(summary)
    else:
        errors = form_errors(produce_form)
    form = SummaryFilterForm()
    context = _list_context(request, form, produce_form) | _list_page(request, form)[0]
    context["produce_errors"] = errors
    return render(request, LIST_TEMPLATE, context, status=400)


@require_POST
@login_required
def summary_again(request: HtmxHttpRequest, pk: int):
    """ "Lập lại": a new version from today's data; the earlier one is kept."""
    summary = _summary(pk)
    require(request.user, Action.PRODUCE_SUMMARY, summary)
    form = AgainForm(request.POST)
    if not form.is_valid():
        return HttpResponse(
            "\n".join(form_errors(form)), status=400, content_type="text/plain; charset=utf-8"
        )
    try:
        new = produce_summary(
            summary.kind,
            summary.cut_off,
            actor=request.user,
            again=True,
            based_on=form.cleaned_data["version"],
        )
    except SummaryConflict as conflict:
        messages.warning(
            request,
            _("Báo cáo đã được lập lại sau khi bạn mở trang; đây là phiên bản mới nhất. Không lập thêm."),
        )
        return redirect(conflict.current or summary)
    except SummaryError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(summary)
    messages.success(
        request,
        _("Đã lập lại báo cáo (lần %(n)s); phiên bản trước vẫn được lưu.") % {"n": new.version},
    )
    return redirect(new)


@require_GET
@login_required
def summary_detail(request: HtmxHttpRequest, pk: int):
    summary = _summary(pk, "data")
    report = Report(summary)
    same = Summary.objects.filter(kind=summary.kind, is_current=True).defer("data", "drill")
    versions = list(
        Summary.objects.filter(kind=summary.kind, cut_off=summary.cut_off)
        .defer("data", "drill")
        .order_by("version")
    )
    context = {
        "summary": summary,
        "report": report,
        "versions": versions,
        "current_version": versions[-1].version,
        "earlier": same.filter(cut_off__lt=summary.cut_off).order_by("-cut_off").first(),
        "later": same.filter(cut_off__gt=summary.cut_off).order_by("cut_off").first(),
        "agency_chart": charts.agency_bars(summary.data["figures"]["agencies"]),
        "trend_chart": charts.trend(report.trend),
        "may_produce": can(request.user, Action.PRODUCE_SUMMARY),
        "spec": columns,  # the tables' and lists' columns, shared with the exports
    }
    return render(request, "summaries/summary_detail.html", context)


@require_GET
@login_required
def summary_drill(request: HtmxHttpRequest, pk: int):
    """The assignments behind one number, as stored when the summary was produced."""
    summary = _summary(pk, "data", "drill")
    dimension, key, column = (request.GET.get(name, "") for name in ("d", "k", "c"))
    pairs = drill_ids(summary.data, summary.drill, dimension, key, column)
    context = {"summary": summary, "report": Report(summary)}
    template = "summaries/drill.html#drill-table" if request.htmx else "summaries/drill.html"
    if pairs is None:
        context["errors"] = [_("Báo cáo này không có số liệu được yêu cầu.")]
        return render(request, template, context, status=400)
    page, error = page_or_error(request, pairs, settings.PAGE_SIZE)
    if error:
        context["errors"] = [error]
        return render(request, template, context, status=400)
    ids = [item_pk for item_pk, _status in page.object_list]
    loaded = Assignment.objects.filter(pk__in=ids).select_related("task__directive", "agency")
    by_id = {a.pk: a for a in loaded}
    context.update(
        title=drill_title(summary.data, dimension, key, column),
        page=page,
        items=[(pk_, status, by_id.get(pk_)) for pk_, status in page.object_list],
    )
    return render(request, template, context)


def _filename(summary: Summary, extension: str) -> str:
    return f"bao-cao-{summary.kind}-{summary.cut_off:%Y%m%d}-lan-{summary.version}.{extension}"


@require_GET
@login_required
def summary_xlsx(request: HtmxHttpRequest, pk: int):
    summary = _summary(pk, "data")
    response = HttpResponse(xlsx.render(Report(summary)), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(summary, "xlsx")}"'
    return response


@require_GET
@login_required
def summary_pdf(request: HtmxHttpRequest, pk: int):
    summary = _summary(pk, "data")
    response = HttpResponse(pdf.render(Report(summary)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(summary, "pdf")}"'
    return response
