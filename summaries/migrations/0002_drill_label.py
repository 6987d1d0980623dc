# The ids behind the numbers in their own column; the period's name and completeness frozen as columns.

from django.db import migrations, models


def copy_from_data(apps, schema_editor):
    """Summaries produced before this migration: their name and completeness are in `data`."""
    Summary = apps.get_model("summaries", "Summary")
    for summary in Summary.objects.all():
        summary.label = summary.data.get("label", "")
        summary.complete = summary.data.get("complete", True)
        summary.drill = summary.data.pop("drill", {})
        summary.save(update_fields=["label", "complete", "drill", "data"])


class Migration(migrations.Migration):
    dependencies = [
        ("summaries", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="summary",
            name="complete",
            field=models.BooleanField(default=True, verbose_name="trọn kỳ"),
        ),
        migrations.AddField(
            model_name="summary",
            name="drill",
            field=models.JSONField(default=dict, editable=False, verbose_name="phân công sau mỗi số liệu"),
        ),
        migrations.AddField(
            model_name="summary",
            name="label",
            field=models.CharField(default="", max_length=80, verbose_name="kỳ báo cáo"),
        ),
        migrations.RunPython(copy_from_data, migrations.RunPython.noop),
    ]
