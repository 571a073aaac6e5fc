"""Members' personal links: no login, a signed token in the URL."""

from django.urls import path

from secretariat.meetings.views import member

app_name = "member"
urlpatterns = [
    path("calendar/<str:token>.ics", member.member_feed, name="feed"),
    path("<str:token>/", member.invitation_page, name="invitation"),
    path("<str:token>/poll/", member.answer_poll, name="poll"),
    path("<str:token>/reply/", member.reply, name="reply"),
]
