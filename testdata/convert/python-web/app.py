from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/")
def index():
    return jsonify(app="python-web", status="ok")


@app.get("/sum/<int:n>")
def total(n):
    return jsonify(n=n, sum=sum(range(n + 1)))


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8082)
