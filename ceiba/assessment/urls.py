from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    # --- runs and priorities (branch `runs`) ---------------------------------------------------
    path("runs/", views.run_list, name="run_list"),
    path("runs/new/", views.run_create, name="run_create"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/publish/", views.run_publish, name="run_publish"),
    path(
        "runs/<int:pk>/priorities/<int:priority_pk>/rationale/",
        views.priority_rationale,
        name="priority_rationale",
    ),
    path("runs/<int:pk>/priorities/freeze/", views.priorities_freeze, name="priorities_freeze"),
    path("runs/<int:pk>/priorities/hand-over/", views.priorities_hand_over, name="priorities_hand_over"),
    # --- end of runs and priorities -------------------------------------------------------------
]
