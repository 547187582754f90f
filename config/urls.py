from django.contrib.auth import views as auth_views
from django.urls import include, path

from leadhub.api import api
from leadhub.web import views as web_views

urlpatterns = [
    path("api/", api.urls),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("i18n/setlang/", web_views.set_language, name="set_language"),
    path("", include("leadhub.referrals.urls")),
    path("", include("leadhub.duplicates.urls")),
    path("", include("leadhub.web.urls")),
]
