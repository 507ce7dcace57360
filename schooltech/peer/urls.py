from django.urls import path

from schooltech.peer import views

app_name = "peer"

SCHOOL = "schools/<str:urn>/peer-support"
FIND = SCHOOL + "/find/<slug:standard_key>/<slug:requirement_key>"
REQUEST = SCHOOL + "/requests/<int:request_number>"

urlpatterns = [
    path("peer-support", views.start, name="start"),
    path(SCHOOL, views.school, name="school"),
    path(SCHOOL + "/offer", views.offer_start, name="offer"),
    path(SCHOOL + "/offer/withdraw", views.offer_withdraw, name="offer_withdraw"),
    path(SCHOOL + "/offer/check", views.offer_check, name="offer_check"),
    path(SCHOOL + "/offer/<slug:question>", views.offer_question, name="offer_question"),
    path(FIND, views.find, name="find"),
    path(FIND + "/ask/<str:helper_urn>", views.ask, name="ask"),
    path(REQUEST, views.request_detail, name="request"),
    path(REQUEST + "/answer", views.request_answer, name="request_answer"),
    path(REQUEST + "/withdraw", views.request_withdraw, name="request_withdraw"),
    path(REQUEST + "/done", views.request_done, name="request_done"),
    path(REQUEST + "/feedback", views.request_feedback, name="request_feedback"),
    path("organisations/<organisation:organisation>/peer-support", views.overview, name="overview"),
]
