"""Lesson 1 in Python: the seed article's server, fixed. netlings grades it like server.ts:
npm run check -- lesson-1 --dir test/other-languages   (a .py file runs with python3)"""
import os
import socket
import sys
import threading

# Not a hard-coded LAN address: the grader says where to listen; by hand, loopback.
HOST = os.environ.get('HOST', '127.0.0.1')
PORT = int(os.environ.get('PORT', '8080'))
sys.stdout.reconfigure(encoding='utf-8')
# print() from several threads writes the text and its newline apart, so two lines can run
# into one; one lock, one line at a time.
printing = threading.Lock()


def serve(connect, addr):
    try:
        with connect:
            connect.sendall('你好！\n'.encode())  # one greeting, ended by a newline
            # One recv() is not one message: gather bytes up to the newline (or the end of
            # the stream), and decode the whole line once.
            data = bytearray()
            while b'\n' not in data:
                chunk = connect.recv(1024)
                if not chunk:
                    break
                data += chunk
            line = bytes(data).split(b'\n', 1)[0].decode('utf-8', errors='replace').rstrip('\r')
            with printing:
                print(f'客户端 {addr[0]}:{addr[1]}：{line}', flush=True)
    except OSError as error:  # a client that resets must not take the server down
        print(f'connection with {addr[0]}:{addr[1]} failed: {error}', file=sys.stderr, flush=True)


server = socket.socket(socket.AF_INET6 if ':' in HOST else socket.AF_INET, socket.SOCK_STREAM)
try:
    server.bind((HOST, PORT))
    server.listen()
except OSError as error:
    print(f'cannot listen on {HOST}:{PORT}: {error.strerror}', file=sys.stderr)
    sys.exit(1)
print(f'listening on {HOST}:{PORT}', flush=True)
while True:
    connect, addr = server.accept()
    # One thread per client, so that one slow client does not keep the others waiting.
    threading.Thread(target=serve, args=(connect, addr), daemon=True).start()
