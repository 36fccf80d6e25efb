# Kabinet in a container: `docker build -t kabinet .`, then see docker-compose.yml.
# Migrations are compiled into the binary, and no query needs a database at build time.

FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin kabinet

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /app --uid 10001 kabinet
COPY --from=build /src/target/release/kabinet /usr/local/bin/kabinet
USER kabinet
WORKDIR /app
ENTRYPOINT ["kabinet"]
CMD ["serve"]
