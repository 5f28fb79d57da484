// A correct post-json in another style: fetch with .then() chains instead of await, the retry
// a recursive call, the output in one place.
const TARGET = process.env.URL ?? 'http://127.0.0.1:8085/messages'
const NAME = process.env.NAME ?? '客户端'
const TEXT = process.env.TEXT ?? '我是客户端~~'

function send(tries: number): Promise<void> {
  return fetch(TARGET, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: NAME, text: TEXT }),
  }).then((response) => {
    if (response.status === 503 && tries < 3) {
      const wait = Number(response.headers.get('Retry-After')) * 1000
      return response.arrayBuffer().then(() => new Promise<void>((resolve) => setTimeout(resolve, wait))).then(() => send(tries + 1))
    }
    if (response.status === 201) {
      return (response.json() as Promise<{ id: string }>).then((body) => {
        console.log(`${response.status}`)
        console.log(`location: ${response.headers.get('Location')}`)
        console.log(`id: ${body.id}`)
      })
    }
    return response
      .text()
      .then((text) => {
        try {
          return (JSON.parse(text) as { error?: string }).error
        } catch {
          return undefined
        }
      })
      .then((error) => {
        console.log(`failed: ${response.status}${error ? ` ${error}` : ''}`)
        process.exitCode = 1
      })
  })
}

send(1).catch((error: Error) => {
  console.log(`failed: ${error.message}`)
  process.exitCode = 1
})
