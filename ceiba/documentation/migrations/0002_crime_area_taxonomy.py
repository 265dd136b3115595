"""Seed the crime-area taxonomy (codes, parents, GOCI markets); names come from the code."""

from django.db import migrations


def load(apps, schema_editor):
    from ceiba.documentation.taxonomy import crime_areas_sync

    crime_areas_sync(apps.get_model("documentation", "CrimeArea"))


class Migration(migrations.Migration):
    dependencies = [("documentation", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
