"""Old import paths of brm_app 0.2 (survey answer pages already open in a browser post to
``brm_app.surveys.submit_response``; jobs queued before an upgrade name ``send_invitations``).
The code lives with the DocTypes that own it: Satisfaction Survey, Survey Invitation and
``brm_app.api.survey``."""

from brm_app.api.survey import submit_response
from brm_app.brm_app.doctype.satisfaction_survey.satisfaction_survey import send_invitations

__all__ = ["send_invitations", "submit_response"]
