// Runs once, on the first start of an empty data directory (docker-entrypoint-initdb.d), as the root user.
// One user per service database with readWrite on that database only (least privilege); each service
// authenticates against its own database (authSource=<db>). Passwords are read from the mounted Secret.
const fs = require('fs');
const secret = (key) => fs.readFileSync('/etc/mongo-credentials/' + key, 'utf8').trim();

for (const service of ['accounts', 'orders', 'fulfillment']) {
  db.getSiblingDB(service).createUser({
    user: service,
    pwd: secret(service + '-password'),
    roles: [{ role: 'readWrite', db: service }],
  });
  print('created user ' + service + ' (readWrite on ' + service + ')');
}

// Mongo Express browses and edits the service databases; it gets no root, user or cluster administration rights.
db.getSiblingDB('admin').createUser({
  user: 'mongo-express',
  pwd: secret('mongo-express-password'),
  roles: [
    { role: 'readWrite', db: 'accounts' },
    { role: 'readWrite', db: 'orders' },
    { role: 'readWrite', db: 'fulfillment' },
    { role: 'clusterMonitor', db: 'admin' },
  ],
});
print('created user mongo-express');
