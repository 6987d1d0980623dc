"""The intake's forms: a document in, the directive's fields and one task at a time on the review screen."""

import copy

from django import forms
from django.utils.translation import gettext_lazy as _

from core.inputs import (
    DOCUMENT_TEXT,
    INTEGER,
    SHORT_TEXT,
    IdMultipleChoiceField,
    ModelLimitsMixin,
    TextField,
    VietnameseDateField,
)
from directives.models import Agency, PriorityGroup
from tracking.forms import AgencyOrGroupField, offer_groups

from .models import Draft, DraftTask


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp văn bản (DOCX, PDF có lớp chữ hoặc bản quét; tối đa 20 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.pdf,.txt"}),
        error_messages={"invalid": _("Tệp gửi lên không hợp lệ."), "empty": _("Tệp gửi lên rỗng.")},
    )
    text = TextField(
        label=_("Hoặc dán nội dung văn bản"),
        max_length=DOCUMENT_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("file") and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Chưa chọn tệp hoặc dán nội dung văn bản."))
        return data


class DraftForm(ModelLimitsMixin, forms.ModelForm):
    """The directive's fields of a draft; `version` detects a concurrent edit of the same draft."""

    text_limits = {"summary": SHORT_TEXT}
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=INTEGER[1], required=False)
    issue_date = VietnameseDateField(label=_("Ngày ban hành (dd/mm/yyyy)"), required=False)

    class Meta:
        model = Draft
        fields = ["type", "number", "issue_date", "issuer", "signer", "signer_title", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, instance=copy.copy(instance), **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class DraftTaskForm(ModelLimitsMixin, forms.ModelForm):
    """One draft task. The agency fields are searchable pickers offering the named groups."""

    deadline = VietnameseDateField(label=_("Thời hạn (dd/mm/yyyy)"), required=False)
    leads = AgencyOrGroupField(label=_("Cơ quan chủ trì"), queryset=Agency.objects.all(), required=False)
    supports = AgencyOrGroupField(label=_("Cơ quan phối hợp"), queryset=Agency.objects.all(), required=False)
    groups = IdMultipleChoiceField(
        label=_("Nhóm nhiệm vụ"),
        queryset=PriorityGroup.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )

    class Meta:
        model = DraftTask
        fields = ["clause", "item", "text", "deadline_kind", "deadline", "deadline_text", "recurrence"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, instance=copy.copy(instance), **kwargs)
        for name in ("leads", "supports"):
            self.fields[name].label_from_instance = lambda a: a.short_name or a.name
        self.fields["groups"].label_from_instance = lambda g: f"{g.code} – {g.name[:60]}"
        offer_groups(self, "leads", "supports")
        if self.instance.pk and not self.is_bound:
            self.fields["leads"].initial = [a.pk for a in self.instance.leads.all()]
            self.fields["supports"].initial = [a.pk for a in self.instance.supports.all()]
            self.fields["groups"].initial = [g.pk for g in self.instance.groups.all()]

    def clean(self):
        data = super().clean()
        # A date typed with the kind left at its default ("Không thời hạn") is a date deadline: keep it.
        if data.get("deadline") and data.get("deadline_kind") in ("", None, "none"):
            data["deadline_kind"] = "date"
        return data
