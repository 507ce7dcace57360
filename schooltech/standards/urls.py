from django.urls import path

from schooltech.standards import views

app_name = "standards"

school = "schools/<str:urn>/standards"
standard = school + "/<slug:standard_key>"
together = "organisations/<organisation:organisation>/standards/together"

urlpatterns = [
    path("standards", views.home, name="home"),
    path(school, views.overview, name="overview"),
    path(school + "/phase", views.phase, name="phase"),
    path(school + "/recommendations", views.recommendations, name="recommendations"),
    path(school + "/recommendations/<int:recommendation_id>", views.recommendation_detail, name="recommendation"),
    path(
        school + "/recommendations/<int:recommendation_id>/update",
        views.recommendation_update,
        name="recommendation_update",
    ),
    path(
        school + "/recommendations/<int:recommendation_id>/share",
        views.recommendation_share,
        name="recommendation_share",
    ),
    path(
        school + "/recommendations/<int:recommendation_id>/print",
        views.recommendation_print,
        name="recommendation_print",
    ),
    path(school + "/governors", views.governors, name="governors"),
    path(school + "/assessments/<int:assessment_id>", views.assessment_detail, name="assessment"),
    path(standard, views.standard_detail, name="standard"),
    path(standard + "/start", views.start, name="start"),
    path(standard + "/questions/<slug:question_key>", views.question, name="question"),
    path(standard + "/check", views.check, name="check"),
    path(standard + "/results", views.results, name="results"),
    path(standard + "/results/share", views.results_share, name="results_share"),
    path(standard + "/results/print", views.results_print, name="results_print"),
    path("organisations/<organisation:organisation>/standards", views.matrix, name="matrix"),
    path("organisations/<organisation:organisation>/standards/export.csv", views.matrix_csv, name="matrix_csv"),
    path("organisations/<organisation:organisation>/standards/export.xlsx", views.matrix_xlsx, name="matrix_xlsx"),
    path(together, views.together, name="together"),
    path(together + "/new", views.together_new, name="together_new"),
    path(together + "/<int:shared_id>", views.together_done, name="together_done"),
    path(together + "/<int:shared_id>/schools", views.together_schools, name="together_schools"),
    path(
        together + "/<int:shared_id>/questions/<slug:question_key>",
        views.together_question,
        name="together_question",
    ),
    path(together + "/<int:shared_id>/check", views.together_check, name="together_check"),
]
