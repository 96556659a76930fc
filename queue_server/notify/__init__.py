"""Messages to visitors (SMS or WhatsApp through an HTTP gateway) when their turn comes."""
