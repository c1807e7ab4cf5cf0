from django.contrib.auth import views as auth_views
from django.urls import path

from . import people_views, views
from .forms import NewPasswordForm, PasswordResetRequestForm, SignInForm

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            authentication_form=SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/reminders/", views.reminder_settings, name="reminder_settings"),
    path("councils/<slug:slug>/people/", people_views.people_list, name="people"),
    path("councils/<slug:slug>/people/invite/", people_views.person_invite, name="person_invite"),
    path(
        "councils/<slug:slug>/people/<int:membership_pk>/",
        people_views.person_change,
        name="person_change",
    ),
    path(
        "councils/<slug:slug>/people/invitations/<int:invitation_pk>/withdraw/",
        people_views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("invitations/<str:token>/", people_views.invitation_accept, name="invitation_accept"),
    # Password reset by email, Django's own views in GOV.UK pages (templates/registration/).
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(form_class=PasswordResetRequestForm),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=NewPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
