"""Numbered revisions of records: `revision_record` in `services`, `revisions_of` in `selectors`."""
