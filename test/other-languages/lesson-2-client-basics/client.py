"""Lesson 2 in Python: the seed article's client, fixed. netlings grades it like client.ts:
npm run check -- lesson-2 --dir test/other-languages   (a .py file runs with python3)"""
import os
import socket
import sys

HOST = os.environ.get('HOST', '127.0.0.1')
PORT = int(os.environ.get('PORT', '8080'))
sys.stdout.reconfigure(encoding='utf-8')

try:
    client = socket.create_connection((HOST, PORT))
except OSError as error:
    print(f'cannot connect to {HOST}:{PORT}: {error.strerror}', file=sys.stderr)
    sys.exit(1)

with client:
    data = bytearray()
    while b'\n' not in data:  # the greeting may come in pieces, even mid-character
        chunk = client.recv(1024)
        if not chunk:
            break
        data += chunk
    print('服务器：' + bytes(data).split(b'\n', 1)[0].decode('utf-8').rstrip('\r'), flush=True)
    client.sendall('我是客户端~~\n'.encode())
    client.shutdown(socket.SHUT_WR)  # our side is done; wait for the server to close its side
    while client.recv(1024):
        pass
