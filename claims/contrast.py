"""Colour contrast (WCAG 2): white text on a rating's colour must stay readable."""

from __future__ import annotations

WHITE = "#ffffff"
MINIMUM = 4.5  # WCAG AA for normal text


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    if len(colour) == 3:
        colour = "".join(ch * 2 for ch in colour)
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def luminance(colour: str) -> float:
    r, g, b = _rgb(colour)
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def for_white_text(colour: str) -> str:
    """`colour`, darkened in small steps (same hue) until white text on it reaches 4.5:1."""
    r, g, b = _rgb(colour)
    current = f"#{r:02x}{g:02x}{b:02x}"
    while contrast(current, WHITE) < MINIMUM:
        r, g, b = int(r * 0.96), int(g * 0.96), int(b * 0.96)
        current = f"#{r:02x}{g:02x}{b:02x}"
    return current
