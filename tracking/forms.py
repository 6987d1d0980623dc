"""Forms of the write actions. They parse and check fields; tracking.services decides and writes."""

import copy

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.inputs import (
    DOCUMENT_TEXT,
    INTEGER,
    LONG_TEXT,
    SHORT_TEXT,
    IdChoiceField,
    IdMultipleChoiceField,
    ModelLimitsMixin,
    TextField,
    VietnameseDateField,
)
from core.uploads import ACCEPT, validate_upload
from directives.models import Agency, Directive, PriorityGroup, Task, named_groups

REQUIRED = _("Chưa nhập %(field)s.")


def _required(label):
    return {"required": REQUIRED % {"field": str(label).lower()}}


class VersionedForm(forms.Form):
    """Carries the version of the row the form was built on, to detect a concurrent change."""

    # The rows' version columns are PositiveIntegerField: a larger number is a tampered form.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=INTEGER[1])


class _CurrentFile:
    """What the file input shows of a file already attached: its link and the name the user gave."""

    def __init__(self, field_file):
        self.url = field_file.url
        self.name = getattr(field_file.instance, "download_name", None) or field_file.name

    def __str__(self) -> str:
        return self.name


class EvidenceFileInput(forms.ClearableFileInput):
    """Shows an attached file under its original name rather than its random stored one."""

    def format_value(self, value):
        return _CurrentFile(value) if self.is_initial(value) else super().format_value(value)


class UploadField(forms.FileField):
    default_error_messages = {
        "invalid": _("Tệp gửi lên không hợp lệ."),
        "empty": _("Tệp gửi lên rỗng."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Tệp đính kèm (PDF, DOCX, XLSX, ảnh; tối đa 20 MB)"))
        kwargs.setdefault("widget", EvidenceFileInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            validate_upload(upload)
        return upload


def _today_field(label):
    return VietnameseDateField(label=label, initial=timezone.localdate, error_messages=_required(label))


class ProgressForm(VersionedForm):
    reported_on = _today_field(_("Ngày báo cáo"))
    percent = forms.IntegerField(
        label=_("Tiến độ (%)"),
        min_value=0,
        max_value=100,
        error_messages={
            "required": _("Chưa nhập tiến độ (%)."),
            "invalid": _("Tiến độ phải là số nguyên từ 0 đến 100."),
            "min_value": _("Tiến độ phải từ 0 đến 100%%."),
            "max_value": _("Tiến độ phải từ 0 đến 100%%."),
        },
    )
    text = TextField(
        label=_("Nội dung báo cáo"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_required("nội dung báo cáo"),
    )
    file = UploadField()


class ProposeForm(VersionedForm):
    delivered_on = _today_field(_("Ngày giao nộp kết quả"))
    text = TextField(
        label=_("Kết quả thực hiện"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_required("kết quả thực hiện"),
    )
    file = UploadField(label=_("Văn bản báo cáo kết quả (PDF, DOCX, XLSX, ảnh; tối đa 20 MB)"))


class ExtensionRequestForm(VersionedForm):
    new_deadline = VietnameseDateField(
        label=_("Đề nghị gia hạn đến ngày"), error_messages=_required("thời hạn mới")
    )
    reason = TextField(
        label=_("Lý do"),
        max_length=SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_required("lý do gia hạn"),
    )


class ContributionForm(forms.Form):
    text = TextField(
        label=_("Nội dung phối hợp"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_required("nội dung phối hợp"),
    )
    file = UploadField()


class ConfirmForm(VersionedForm):
    completed_on = VietnameseDateField(
        label=_("Ngày hoàn thành (ngày giao nộp kết quả)"), error_messages=_required("ngày hoàn thành")
    )
    note = TextField(
        label=_("Ý kiến"), max_length=SHORT_TEXT, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnForm(VersionedForm):
    reason = TextField(
        label=_("Lý do trả lại"),
        max_length=SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=_required("lý do trả lại"),
    )


class ExtensionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Quyết định"),
        choices=[("approve", _("Đồng ý")), ("reject", _("Không đồng ý"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Chưa chọn đồng ý hay không."),
            "invalid_choice": _("Quyết định không hợp lệ."),
        },
    )
    new_deadline = VietnameseDateField(label=_("Gia hạn đến ngày (có thể khác ngày đề nghị)"), required=False)
    note = TextField(
        label=_("Ý kiến"), max_length=SHORT_TEXT, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class UrgeForm(forms.Form):
    message = TextField(
        label=_("Nội dung đôn đốc"),
        max_length=SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_required("nội dung đôn đốc"),
        initial=_("Đề nghị quý cơ quan khẩn trương thực hiện và báo cáo kết quả về Văn phòng UBND tỉnh."),
    )


class CommentForm(forms.Form):
    text = TextField(
        label=_("Ý kiến chỉ đạo"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_required("ý kiến chỉ đạo"),
    )


class ReasonForm(forms.Form):
    reason = TextField(
        label=_("Lý do"),
        max_length=SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=_required("lý do"),
    )


class AgencyChoiceField(IdChoiceField):
    default_error_messages = {"invalid_choice": _("Cơ quan đã chọn không có trong danh sách.")}


class AgencyMultipleChoiceField(IdMultipleChoiceField):
    default_error_messages = {
        "invalid_choice": _("Cơ quan “%(value)s” không có trong danh sách."),
        "invalid_pk_value": _("Cơ quan “%(pk)s” không có trong danh sách."),
        "required": _("Chưa chọn cơ quan chủ trì."),
    }


class AgencyPicker(forms.SelectMultiple):
    """A multi-select that static/js/picker.js turns into a search box with removable chips. Its first
    options are the named groups (value "g:<code>", `data-members`): choosing one selects its members,
    each still removable; without JavaScript the field expands a chosen group itself."""

    def __init__(self, attrs=None):
        texts = {"data-placeholder": _("Gõ để tìm cơ quan hoặc nhóm cơ quan…"), "data-remove": _("Bỏ")}
        super().__init__({"size": 8, "data-picker": "", **texts, **(attrs or {})})
        self.groups: list[tuple[str, str, list[int]]] = []

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        agency = getattr(value, "instance", None)
        if agency is not None:  # found by its full name and other spellings too
            option["attrs"]["data-search"] = " ".join([agency.name, *(agency.aliases or [])])
        return option

    def optgroups(self, name, value, attrs=None):
        groups = super().optgroups(name, value, attrs)
        if not self.groups:
            return groups
        options = []
        for index, (code, label, members) in enumerate(self.groups):
            label = _("%(name)s (cả nhóm: %(n)d cơ quan)") % {"name": label, "n": len(members)}
            option = self.create_option(name, f"g:{code}", label, False, index)
            option["attrs"]["data-members"] = " ".join(str(pk) for pk in members)
            options.append(option)
        return [(str(_("Nhóm cơ quan")), options, 0), *groups]


class AgencyOrGroupField(AgencyMultipleChoiceField):
    """Agencies by id, or a named group ("g:<code>") standing for its members valid today."""

    widget = AgencyPicker

    def clean(self, value):
        values = [value] if isinstance(value, str) else list(value or [])
        codes = {v[2:] for v in values if isinstance(v, str) and v.startswith("g:")}
        ids = [v for v in values if not (isinstance(v, str) and v.startswith("g:"))]
        if codes:
            groups = {code: members for code, _name, members in named_groups(timezone.localdate())}
            unknown = sorted(codes - set(groups))
            if unknown:
                raise forms.ValidationError(
                    _("Nhóm cơ quan “%(code)s” không có trong danh sách."), params={"code": unknown[0]}
                )
            for code in sorted(codes):
                ids.extend(str(pk) for pk in groups[code] if str(pk) not in ids)
        return super().clean(ids)


def offer_groups(form, *names) -> None:
    """Give the agency pickers `names` of `form` the named groups (three queries for all of them)."""
    groups = named_groups(timezone.localdate())
    for name in names:
        form.fields[name].widget.groups = groups


class ReassignForm(VersionedForm):
    agency = AgencyChoiceField(
        label=_("Chuyển cho cơ quan"), queryset=Agency.objects.all(), error_messages=_required("cơ quan mới")
    )
    reason = TextField(
        label=_("Lý do"),
        max_length=SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=_required("lý do chuyển"),
    )


class DirectiveForm(ModelLimitsMixin, forms.ModelForm):
    text_limits = {"summary": SHORT_TEXT, "text": DOCUMENT_TEXT}

    issue_date = VietnameseDateField(label=_("Ngày ban hành"), required=False)
    file = UploadField()

    class Meta:
        model = Directive
        fields = [
            "number",
            "type",
            "issue_date",
            "issuer",
            "signer",
            "signer_title",
            "summary",
            "text",
            "file",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 2}), "text": forms.Textarea(attrs={"rows": 6})}
        error_messages = {"summary": _required("trích yếu"), "type": _required("loại văn bản")}


class TaskForm(ModelLimitsMixin, forms.ModelForm):
    """Task fields plus its agencies; `version` detects a concurrent edit. ModelLimitsMixin gives the
    columns' limits Vietnamese messages (`item` ≤ 32.767) before the model's own validation runs; the
    rules across fields (deadline kind and date, a clause used twice) are tracking.services'."""

    text_limits = {"text": LONG_TEXT}
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=INTEGER[1], required=False)
    deadline = VietnameseDateField(label=_("Thời hạn (dd/mm/yyyy)"), required=False)
    leads = AgencyOrGroupField(label=_("Cơ quan chủ trì"), queryset=Agency.objects.all())
    supporters = AgencyOrGroupField(
        label=_("Cơ quan phối hợp"), queryset=Agency.objects.all(), required=False
    )
    groups = IdMultipleChoiceField(
        label=_("Nhóm nhiệm vụ"),
        queryset=PriorityGroup.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    leader = IdChoiceField(
        label=_("Lãnh đạo phụ trách"),
        queryset=User.objects.filter(role=User.Role.LEADER),
        required=False,
        empty_label=_("(chưa phân công)"),
    )

    class Meta:
        model = Task
        fields = [
            "clause",
            "item",
            "text",
            "deadline_kind",
            "deadline",
            "deadline_text",
            "recurrence",
            "leader",
        ]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
        error_messages = {"clause": _required("mục"), "text": _required("nội dung nhiệm vụ")}

    def __init__(self, *args, instance=None, **kwargs):
        # Model validation writes the input into the form's instance: give it a copy, so that the task
        # the page shows (and hands to tracking.services.update_task) stays as stored.
        super().__init__(*args, instance=copy.copy(instance), **kwargs)
        self.fields["leads"].label_from_instance = lambda a: a.short_name or a.name
        self.fields["supporters"].label_from_instance = lambda a: a.short_name or a.name
        self.fields["groups"].label_from_instance = lambda g: f"{g.code} – {g.name[:60]}"
        offer_groups(self, "leads", "supporters")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["leads"].initial = [a.agency_id for a in self.instance.assignments.all()]
            self.fields["supporters"].initial = list(self.instance.supporting_agencies.all())
            self.fields["groups"].initial = list(self.instance.groups.all())

    def clean(self):
        data = super().clean()
        # A date typed with the kind left at its default ("Không thời hạn") is a date: keep what was typed.
        if data.get("deadline") and data.get("deadline_kind") in (None, "", Task.DeadlineKind.NONE):
            data["deadline_kind"] = Task.DeadlineKind.DATE
        return data
