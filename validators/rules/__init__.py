"""Rules over the converted workbook; each yields findings and never raises.

A rule reads the Context (converted values, IKU figures, the model for cells and
pictures) and skips any value that failed conversion: that cell already has its
finding. Adding a rule is adding a function to RULES; its texts go in the catalogue.
"""

from kinerja.validators.rules import attendance, completeness, indicator, layout, ledger, minutes, nips, photos

RULES = (
    completeness.tables_have_rows,
    completeness.every_role_has_an_official,
    completeness.placeholders_replaced,
    attendance.delegates_within_invitation,
    attendance.villages_without_delegates,
    attendance.people_listed_twice,
    attendance.women_among_delegates,
    minutes.meeting_in_reference_year,
    minutes.ends_after_it_starts,
    minutes.participants_match_attendance,
    minutes.paper_minutes_signed,
    nips.nips_are_possible,
    photos.enough_photos,
    photos.pictures_in_their_rows,
    photos.same_picture_twice,
    photos.pictures_not_too_large,
    photos.camera_date_near_meeting,
    indicator.villages_are_invited,
    indicator.cached_figures_agree,
    layout.values_below_tables,
    layout.sheets_not_in_template,
    layout.sheets_unprotected,
    ledger.signoffs_verify,
)
