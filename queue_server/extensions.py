"""Extensions created unbound; the factory binds them."""
from flask_socketio import SocketIO

socketio = SocketIO()
