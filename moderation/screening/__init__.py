"""Screening user text before it is stored: watched words and the crisis net.

Policy only: it reads watched words and judges text, and imports no circles service.
Writers call `policy.screen()` before writing, then hand the verdict to
`moderation.flags.services.flags_from_screening()` once the content exists.
"""
