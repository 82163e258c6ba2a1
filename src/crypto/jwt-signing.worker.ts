import {createPrivateKey} from 'node:crypto';
import {parentPort, workerData} from 'node:worker_threads';
import jwt from 'jsonwebtoken';
import type {SigningRequest, SigningResult, SigningWorkerData} from './jwt-signing-pool';

/** Signs JWTs with a key parsed once per thread; see JwtSigningPool. */
const {privateKeyPem, signOptions} = workerData as SigningWorkerData;
const key = createPrivateKey(privateKeyPem);

parentPort!.on('message', ({id, claims}: SigningRequest) => {
  let result: SigningResult;
  try {
    result = {id, token: jwt.sign(claims, key, signOptions)};
  } catch (error) {
    result = {id, error: (error as Error).message};
  }
  parentPort!.postMessage(result);
});
