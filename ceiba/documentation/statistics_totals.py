"""Per-dataset totals of statistics rows (`StatisticTotal`), recomputed set-based in the caller's
transaction whenever an import changes a dataset's rows: one GROUP BY over that dataset only."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Sum

from .models import StatisticRow, StatisticTotal


def refresh(dataset_ids: Iterable[int]) -> int:
    """Recompute the totals of these datasets; returns how many total rows they now have."""
    ids = sorted(set(dataset_ids))
    if not ids:
        return 0
    with transaction.atomic():
        StatisticTotal.objects.filter(dataset_id__in=ids).delete()
        groups = (
            StatisticRow.objects.filter(dataset_id__in=ids)
            .values("dataset_id", "crime_area_id", "state_id", "kind", "unit")
            .annotate(total=Sum("quantity"), count=Count("pk"))
            .order_by()
        )
        created = StatisticTotal.objects.bulk_create(
            [
                StatisticTotal(
                    dataset_id=g["dataset_id"],
                    crime_area_id=g["crime_area_id"],
                    state_id=g["state_id"],
                    kind=g["kind"],
                    unit=g["unit"],
                    total=g["total"],
                    rows=g["count"],
                )
                for g in groups
            ],
            batch_size=1000,
        )
    return len(created)
