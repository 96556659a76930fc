"""The visitors' self-service kiosk: a touch screen at the entrance that issues tickets."""
