"""The eight common horizontal goals of the strategic plans (issue 5), in the four languages. The
secretariat may rename, reorder, deactivate or add goals afterwards."""

from django.db import migrations

GOALS = [
    ("criminal-intelligence", "Criminal intelligence picture", "Panorama de inteligencia criminal",
     "Panorama de inteligência criminal", "Image du renseignement criminel"),
    ("investigations", "Investigations and judicial response", "Investigaciones y respuesta judicial",
     "Investigações e resposta judicial", "Enquêtes et réponse judiciaire"),
    ("coordinated-controls", "Coordinated controls", "Controles coordinados", "Controles coordenados",
     "Contrôles coordonnés"),
    ("criminal-finances", "Criminal finances and asset recovery",
     "Finanzas criminales y recuperación de activos", "Finanças criminosas e recuperação de ativos",
     "Finances criminelles et recouvrement des avoirs"),
    ("document-fraud", "Document fraud", "Fraude documental", "Fraude documental", "Fraude documentaire"),
    ("capacity-building", "Capacity building and training", "Fortalecimiento de capacidades y formación",
     "Capacitação e formação", "Renforcement des capacités et formation"),
    ("prevention", "Prevention", "Prevención", "Prevenção", "Prévention"),
    ("external-cooperation", "External cooperation", "Cooperación externa", "Cooperação externa",
     "Coopération extérieure"),
]


def add_goals(apps, schema_editor):
    HorizontalGoal = apps.get_model("policy", "HorizontalGoal")
    for order, (code, en, es, pt, fr) in enumerate(GOALS, start=1):
        HorizontalGoal.objects.update_or_create(
            code=code, defaults={"name_en": en, "name_es": es, "name_pt": pt, "name_fr": fr, "order": order}
        )


def remove_goals(apps, schema_editor):
    apps.get_model("policy", "HorizontalGoal").objects.filter(code__in=[g[0] for g in GOALS]).delete()


class Migration(migrations.Migration):
    dependencies = [("policy", "0001_initial")]

    operations = [migrations.RunPython(add_goals, remove_goals)]
